import { Readable } from 'stream';
import { CsvHeaderError } from './csv-columns';
import { csvRows, MalformedCsvError, UploadRow } from './csv-rows';

async function rowsOf(text: string | string[], maxRowChars = 1_000): Promise<UploadRow[]> {
  const rows: UploadRow[] = [];
  for await (const row of csvRows(Readable.from(Array.isArray(text) ? text : [text]), { maxRowChars })) rows.push(row);
  return rows;
}

describe('csvRows', () => {
  it('numbers rows by line, the header being line 1, across chunk boundaries and empty lines', async () => {
    const rows = await rowsOf(['\uFEFFphoneNumber,name,plan\r\n+14155552671,Ann,go', 'ld\r\n\r\n"+14155552672","Bo, ""B""",silver\n']);
    expect(rows).toEqual([
      { row: 2, contact: { phoneNumber: '+14155552671', name: 'Ann', customData: { plan: 'gold' } } },
      { row: 4, contact: { phoneNumber: '+14155552672', name: 'Bo, "B"', customData: { plan: 'silver' } } },
    ]);
  });

  it('accepts rows with fewer fields, and refuses rows with more fields than columns', async () => {
    const rows = await rowsOf('phoneNumber,name\n+14155552671\n+14155552672,Bo,extra\n+14155552673,Cy\n');
    expect(rows).toEqual([
      { row: 2, contact: { phoneNumber: '+14155552671' } },
      { row: 3, rejected: { phoneNumber: '+14155552672', reason: 'row has 1 more field(s) than the header has columns' } },
      { row: 4, contact: { phoneNumber: '+14155552673', name: 'Cy' } },
    ]);
  });

  it('stops at broken quoting, naming the line', async () => {
    const rows: UploadRow[] = [];
    const reading = (async () => {
      for await (const row of csvRows(Readable.from(['phoneNumber,name\n+14155552671,Ann\n+14155552672,"Bo"x\n+14155552673,Cy\n']), { maxRowChars: 1_000 })) {
        rows.push(row);
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(MalformedCsvError);
    await expect(reading).rejects.toThrow(/^malformed CSV at line 3: Invalid Closing Quote/);
    expect(rows).toEqual([{ row: 2, contact: { phoneNumber: '+14155552671', name: 'Ann' } }]);
  });

  it('reads no further than the broken line', async () => {
    let pulled = 0;
    function* chunks() {
      yield 'phoneNumber,name\n+14155552671,"Ann"x\n';
      for (let i = 0; i < 10_000; i++) {
        pulled++;
        yield `+1415555${String(i % 10_000).padStart(4, '0')},"name\n`;
      }
    }
    const reading = (async () => {
      for await (const _ of csvRows(Readable.from(chunks()), { maxRowChars: 10_000 })) void _;
    })();
    await expect(reading).rejects.toThrow(/line 2/);
    expect(pulled).toBeLessThan(100);
  });

  it('stops at a row longer than the limit instead of buffering it', async () => {
    await expect(rowsOf(`phoneNumber,note\n+14155552671,ok\n+14155552672,${'x'.repeat(200)}\n`, 100)).rejects.toThrow(
      /^malformed CSV at line 3: the row is too long$/,
    );
  });

  it('refuses a header without phoneNumber and an empty file', async () => {
    await expect(rowsOf('phone,name\n+14155552671,Ann\n')).rejects.toThrow(CsvHeaderError);
    await expect(rowsOf('phone,name\n+14155552671,Ann\n')).rejects.toThrow(/must have a phoneNumber column/);
    await expect(rowsOf('')).rejects.toThrow(/the CSV is empty/);
  });
});
