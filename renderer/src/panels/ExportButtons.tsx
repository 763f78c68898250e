/** PNG and SVG export of one figure, from its SVG text. */
import { platform } from '../platform/platform';
import { svgToPng } from '../plots/svg';

export function ExportButtons({
  name,
  getSvg,
  testId,
}: {
  name: string;
  getSvg: () => string | null;
  testId: string;
}) {
  const save = async (kind: 'png' | 'svg') => {
    const svg = getSvg();
    if (!svg) return;
    await platform.saveFile(`${name}.${kind}`, kind === 'svg' ? svg : await svgToPng(svg));
  };
  return (
    <span className="export-buttons">
      <button type="button" data-testid={`${testId}-png`} onClick={() => void save('png')}>
        PNG
      </button>
      <button type="button" data-testid={`${testId}-svg`} onClick={() => void save('svg')}>
        SVG
      </button>
    </span>
  );
}
