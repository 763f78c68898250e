/** Where to edit, shown where one edits: ∂J/∂σ under the σ editor, and the E(x,t) map shaded by |∂E/∂θ|. */
import type { DerivSettings } from '../../model/derivSettings';

interface Props {
  settings: DerivSettings;
  onSettings(s: Partial<DerivSettings>): void;
}

export function OverlayToggles({ settings, onSettings }: Props) {
  return (
    <>
      <label>
        <input
          type="checkbox"
          data-testid="grad-overlay"
          checked={settings.overlay}
          onChange={(e) => onSettings({ overlay: e.target.checked })}
        />{' '}
        ∂J/∂σ under the σ editor
      </label>
      <label title="dims E(x,t) on the results tab where the jvp field along the chosen direction is small">
        <input
          type="checkbox"
          data-testid="shade-overlay"
          checked={settings.shadeE}
          onChange={(e) => onSettings({ shadeE: e.target.checked })}
        />{' '}
        shade E(x,t) by |∂E/∂θ|
      </label>
    </>
  );
}
