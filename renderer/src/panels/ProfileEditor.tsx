/**
 * One input field of the selected case: type a formula, draw it, or import it. Anything that fails to parse or
 * is unphysical is reported inline, and the last good profile stays in use.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { decodeNpy, NpyError } from '../../../core/index';
import { FormulaError } from '../../../core/rte/index';
import { readProfileCsv } from '../io/csv';
import { userMessage } from '../model/messages';
import type { CaseDef } from '../model/presets';
import { describeProfile, type Field, mergeStroke, type Profile, sampleProfile } from '../model/profile';
import { LIMITS } from '../model/session';
import { platform } from '../platform/platform';
import type { Action } from '../state/store';
import { DrawPad } from './DrawPad';

interface Props {
  kase: CaseDef;
  field: Field;
  dispatch(a: Action): void;
}

const PREVIEW_N = 200;
const DRAW_POINTS = 64;

export function ProfileEditor({ kase, field, dispatch }: Props) {
  const profile = kase[field];
  const [draft, setDraft] = useState(profile.kind === 'formula' ? profile.text : '');
  const [error, setError] = useState<string | null>(null);

  // Follow the case when it changes from elsewhere (another case selected, a preset, a session).
  useEffect(() => {
    setDraft(profile.kind === 'formula' ? profile.text : '');
    setError(null);
  }, [profile]);

  const preview = useMemo(() => {
    try {
      return sampleProfile(profile, PREVIEW_N, field);
    } catch {
      return null;
    }
  }, [profile, field]);

  const commit = (p: Profile): boolean => {
    try {
      sampleProfile(p, PREVIEW_N, field);
    } catch (e) {
      setError(e instanceof FormulaError ? e.message : userMessage(e));
      return false;
    }
    setError(null);
    dispatch({ type: 'setProfile', id: kase.id, field, profile: p });
    return true;
  };

  // Apply formulas as they are typed (debounced): a bad one only shows its error.
  const commitRef = useRef(commit);
  commitRef.current = commit;
  useEffect(() => {
    if (profile.kind === 'formula' && draft === profile.text) return;
    if (profile.kind !== 'formula' && draft === '') return;
    const params = profile.kind === 'formula' ? profile.params : undefined;
    const timer = setTimeout(
      () => commitRef.current({ kind: 'formula', text: draft, ...(params ? { params } : {}) }),
      250,
    );
    return () => clearTimeout(timer);
  }, [draft, profile]);

  const importFile = async () => {
    let file: Awaited<ReturnType<typeof platform.openFile>>;
    try {
      file = await platform.openFile(['csv', 'npy', 'txt']);
    } catch (e) {
      setError(userMessage(e)); // the desktop shell refused the file (size, not a regular file)
      return;
    }
    if (!file) return;
    try {
      let values: number[];
      if (file.name.toLowerCase().endsWith('.npy')) {
        const arr = decodeNpy(file.bytes, file.name);
        if (arr.shape.length !== 1 && !(arr.shape.length === 2 && arr.shape[0] === 1))
          throw new Error(`${file.name} has shape [${arr.shape}]; a profile is one row of values`);
        values = Array.from(arr.data);
      } else values = readProfileCsv(new TextDecoder().decode(file.bytes), field);
      if (values.length > LIMITS.samples)
        throw new Error(
          `${values.length.toLocaleString('en')} values is more than a profile holds (at most ${LIMITS.samples.toLocaleString('en')})`,
        );
      commit({ kind: 'samples', values, source: file.name });
    } catch (e) {
      // the codec's own messages already start with the file name
      setError(e instanceof NpyError ? e.message : `${file.name}: ${userMessage(e)}`);
    }
  };

  const label = field === 'sigma' ? 'σ(x)' : 'Tini(x)';
  return (
    <div className="profile-editor" data-testid={`profile-${field}`}>
      <label className="formula">
        <span>{label} =</span>
        <input
          data-testid={`formula-${field}`}
          value={draft}
          spellCheck={false}
          placeholder={profile.kind === 'formula' ? '' : describeProfile(profile)}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setDraft(e.target.value)}
        />
      </label>
      {profile.kind === 'formula' && profile.params && (
        <span className="muted small">
          {Object.entries(profile.params)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ')}
        </span>
      )}
      {error && (
        <p className="error" role="alert" data-testid={`formula-error-${field}`}>
          {error} — still using: {describeProfile(profile)}
        </p>
      )}
      <DrawPad
        testId={`draw-${field}`}
        values={preview}
        onStroke={(stroke) => {
          const base: [number, number][] =
            profile.kind === 'drawn'
              ? profile.points
              : Array.from(sampleProfile(profile, DRAW_POINTS, field), (v, i) => [
                  (i + 0.5) / DRAW_POINTS,
                  v,
                ]);
          commit({ kind: 'drawn', points: mergeStroke(base, stroke) });
        }}
      />
      <div className="row small">
        <span className="muted">
          {profile.kind === 'drawn'
            ? 'drawn curve'
            : profile.kind === 'samples'
              ? describeProfile(profile)
              : 'drag on the plot to draw'}
        </span>
        <button type="button" data-testid={`import-${field}`} onClick={() => void importFile()}>
          Import CSV/NPY…
        </button>
      </div>
    </div>
  );
}
