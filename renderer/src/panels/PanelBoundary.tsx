/**
 * An error boundary around one panel: a panel that throws while rendering shows what went wrong in its own
 * place, and the rest of the workbench (and its autosave) keeps working.
 */
import { Component, type ReactNode } from 'react';
import { userMessage } from '../model/messages';

interface Props {
  /** Shown in the message: "The results panel failed: …". */
  name: string;
  children: ReactNode;
}

interface State {
  error: string | null;
}

export class PanelBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(e: unknown): State {
    return { error: userMessage(e) };
  }

  override componentDidCatch(e: unknown): void {
    console.warn(`${this.props.name} panel failed:`, e);
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <section className="panel" role="alert" data-testid="panel-error">
        <p className="error">
          The {this.props.name} panel failed: {this.state.error}. Your session is kept (it is autosaved and
          can be saved to a file).
        </p>
        <button type="button" data-testid="panel-retry" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </section>
    );
  }
}
