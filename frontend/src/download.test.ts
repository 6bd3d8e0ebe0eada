import { describe, expect, it } from 'vitest';
import { fileNameOf } from './download';

describe('fileNameOf', () => {
  it('reads the quoted and the bare filename', () => {
    expect(fileNameOf('attachment; filename="iryohi-2026.csv"')).toBe('iryohi-2026.csv');
    expect(fileNameOf('attachment; filename=iryohi-2026.xlsx')).toBe('iryohi-2026.xlsx');
    expect(fileNameOf('attachment;filename="a \\"b\\".csv"')).toBe('a "b".csv');
  });

  it('prefers filename* (UTF-8, percent-encoded)', () => {
    expect(
      fileNameOf(`attachment; filename="iryohi.csv"; filename*=UTF-8''%E5%8C%BB%E7%99%82%E8%B2%BB-2026.csv`),
    ).toBe('医療費-2026.csv');
  });

  it('drops paths and gives null without a name', () => {
    expect(fileNameOf('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameOf('attachment')).toBeNull();
    expect(fileNameOf(null)).toBeNull();
    expect(fileNameOf('attachment; filename=".."')).toBeNull();
  });
});
