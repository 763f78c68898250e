import { describe, expect, it } from 'vitest';
import { SHADE_FLOOR, shadeRgba, shadeWeights } from '../../renderer/src/plots/shade';

describe('shading a map by |∂E/∂θ|', () => {
  it('full colour at the largest |w|, the floor where w = 0, linear between; signs do not matter', () => {
    expect(Array.from(shadeWeights([0, -2, 1, 4]))).toEqual(
      [SHADE_FLOOR, SHADE_FLOOR + (1 - SHADE_FLOOR) * 0.5, SHADE_FLOOR + (1 - SHADE_FLOOR) * 0.25, 1].map(
        Math.fround,
      ),
    );
    expect(Array.from(shadeWeights([0, 0]))).toEqual([1, 1]);
  });
  it('dims the colour, keeps alpha, and refuses weights of another shape', () => {
    const px = shadeRgba(Uint8Array.from([200, 100, 50, 255, 200, 100, 50, 255]), [0, 1]);
    expect(Array.from(px)).toEqual([40, 20, 10, 255, 200, 100, 50, 255]);
    expect(() => shadeRgba(new Uint8Array(8), [1])).toThrow('shadeRgba: 1 weights for 2 pixels');
  });
});
