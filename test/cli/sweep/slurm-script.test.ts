import { describe, expect, it } from 'vitest';
import { arrayRanges, sbatchScript } from '../../../cli/sweep/slurm';

describe('the sbatch array script', () => {
  it('names missing shards as ranges', () => {
    expect(arrayRanges([0, 1, 2, 3])).toBe('0-3');
    expect(arrayRanges([2, 5, 6, 7, 9])).toBe('2,5-7,9');
    expect(arrayRanges([4])).toBe('4');
  });

  it('runs one task per group of shards, with the asked resources', () => {
    const text = sbatchScript('/data/my study.zarr', [0, 1, 3], {
      partition: 'cpu',
      time: '00:10:00',
      cpus: 4,
      gpus: 1,
      arrayMax: 8,
      shardsPerTask: 5,
    });
    expect(text).toMatch(/^#!\/bin\/bash\n/);
    for (const line of [
      '#SBATCH --array=0-1,3%8',
      '#SBATCH --cpus-per-task=4',
      '#SBATCH --partition=cpu',
      '#SBATCH --time=00:10:00',
      '#SBATCH --gpus=1',
      '#SBATCH --output=/data/my study.zarr/.sweep/slurm/logs/%A_%a.out',
    ])
      expect(text.split('\n')).toContain(line);
    expect(text).toMatch(
      /sweep task '\/data\/my study\.zarr' --shard "\$\(\(SLURM_ARRAY_TASK_ID \* 5\)\)" --count 5\n$/,
    );
  });

  it('leaves out what was not asked for', () => {
    const text = sbatchScript('/s.zarr', [0], { cpus: 1, shardsPerTask: 1 });
    expect(text).not.toMatch(/--partition|--time|--gpus/);
    expect(text.split('\n')).toContain('#SBATCH --array=0');
  });
});
