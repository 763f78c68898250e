/**
 * An error boundary around one panel: a panel that throws while rendering shows what went wrong in its own
 * place, and the rest of the workbench (and its autosave) keeps working.
 */
import { Component, type ReactNode } from 'react';
import { panelFailure } from '../model/messages';

interface Props {
  /** Shown in the message: "The results panel failed: …". */
  name: string;
  children: ReactNode;
}

interface State {
  failed: boolean;
  error: unknown;
}

export class PanelBoundary extends Component<Props, State> {
  override state: State = { failed: false, error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { failed: true, error };
  }

  override componentDidCatch(e: unknown): void {
    console.warn(`${this.props.name} panel failed:`, e);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <section className="panel" role="alert" data-testid="panel-error">
        <p className="error">{panelFailure(this.props.name, this.state.error)}</p>
        <button
          type="button"
          data-testid="panel-retry"
          onClick={() => this.setState({ failed: false, error: null })}
        >
          Try again
        </button>
      </section>
    );
  }
}
