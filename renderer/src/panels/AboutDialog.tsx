/** Help → About in web mode (the desktop app has the same under its Help menu): versions and engines. */
import { version as reactVersion, useEffect, useState } from 'react';
import { REVISION } from 'three';
import type { WorkerInfo } from '../worker/api';
import type { SolverClient } from '../worker/client';

declare const __RTE_VERSIONS__: { app: string; gpujs: string; mathjs: string };

interface Props {
  client: SolverClient;
  onClose(): void;
}

export function AboutDialog({ client, onClose }: Props) {
  const [info, setInfo] = useState<WorkerInfo | null>(null);
  useEffect(() => {
    void client.call('info', undefined).then(setInfo);
  }, [client]);
  const browser = navigator.userAgent.match(/(Chrom(e|ium)|Firefox|Electron)\/[\d.]+/g)?.join(', ') ?? '—';
  const rows: [string, string][] = [
    ['RTE Workbench', __RTE_VERSIONS__.app],
    ['gpu.js', __RTE_VERSIONS__.gpujs],
    ['three.js', `r${REVISION}`],
    ['React', reactVersion],
    ['mathjs', __RTE_VERSIONS__.mathjs],
    ['browser', browser],
  ];
  return (
    <div className="modal" role="dialog" aria-label="About RTE Workbench" data-testid="about">
      <h2>About RTE Workbench</h2>
      <p>
        The 1-D gray radiative-transfer equation, solved and differentiated with a torch.func-style TypeScript
        core; live solves compiled to gpu.js kernels.
      </p>
      <table>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td data-testid={`about-${k.replace(/\W+/g, '-').toLowerCase()}`}>{v}</td>
            </tr>
          ))}
          {info?.compiled.map((b) => (
            <tr key={b.name}>
              <th>jit: {b.name}</th>
              <td data-testid={`about-jit-${b.name.replace(/\W+/g, '-').toLowerCase()}`}>
                {b.available ? 'available' : 'not available'}
                {b.note ? ` (${b.note})` : ''}
              </td>
            </tr>
          ))}
          {info && (
            <tr>
              <th>derivatives</th>
              <td data-testid="about-derivatives">
                {info.compiled.find((b) => b.name === 'WebAssembly')?.available
                  ? "live, compiled to core's WebAssembly (float64 or float32)"
                  : 'live, eager (no WebAssembly SIMD here)'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <button type="button" data-testid="about-close" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
