// Bad files get a clear error naming the problem and change nothing: the database dump is the
// same before and after. Both formats, through the real command line.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportProgrammeJson } from '../../../server/domains/interop/programme-json.ts';
import { readProgramme } from '../../../server/domains/releases/reader.ts';
import { buildTestApp, makeTempDir, SEMINAR_2015 } from '../../helpers/app.ts';
import { runCli } from '../../helpers/cli.ts';
import { dumpDatabase } from '../../helpers/interop.ts';

/** A small frab schedule, as pretalx writes them; `event` replaces the one event's inner elements. */
function frab(options: { prologue?: string; event?: string; acronym?: string } = {}): string {
  const event = options.event ?? '<date>2024-05-02T10:00:00+02:00</date><start>10:00</start><duration>01:00</duration><room>Salle A</room><title>Ouverture</title><type>Talk</type><persons><person id="1">Ana Pérez</person></persons>';
  return `<?xml version="1.0" encoding="UTF-8"?>
${options.prologue ?? ''}<schedule>
  <version>1</version>
  <conference><acronym>${options.acronym ?? 'tiny-conf'}</acronym><title>Tiny Conf</title><start>2024-05-02</start><end>2024-05-02</end><time_zone_name>Europe/Paris</time_zone_name></conference>
  <day index="1" date="2024-05-02" start="2024-05-02T08:00:00+02:00" end="2024-05-02T20:00:00+02:00">
    <room name="Salle A">
      <event guid="0b7c9a52-1f7a-4f59-9a43-2d0c1e6f0001" id="1">${event}</event>
      <event guid="0b7c9a52-1f7a-4f59-9a43-2d0c1e6f0002" id="2"><date>2024-05-02T11:30:00+02:00</date><start>11:30</start><duration>00:45</duration><room>Salle A</room><title>Clôture</title><type>Talk</type></event>
    </room>
  </day>
</schedule>
`;
}

let dir: string;
let files: string;
let json: Record<string, any>;

beforeAll(async () => {
  // A database that already holds two programmes: a refused import must leave both as they are.
  const seeded = await buildTestApp();
  dir = seeded.dir;
  json = JSON.parse(exportProgrammeJson(readProgramme(seeded.app.db, { slug: SEMINAR_2015 }, 'working')));
  await seeded.app.close();
  files = makeTempDir();
  fs.writeFileSync(path.join(files, 'tiny.xml'), frab());
  const first = await runCli(dir, ['import', path.join(files, 'tiny.xml')]);
  expect(first.status, first.stderr).toBe(0);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(files, { recursive: true, force: true });
});

async function refused(name: string, content: string | Buffer, message: RegExp, env: Record<string, string> = {}) {
  const file = path.join(files, name);
  fs.writeFileSync(file, content);
  const before = dumpDatabase(path.join(dir, 'forum.db'));
  const run = await runCli(dir, ['import', file], undefined, env);
  expect(run.status, run.stdout).toBe(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).toContain('Nothing was imported');
  // One line for the operator, never a stack trace.
  expect(run.stderr).not.toMatch(/\n\s+at /);
  const after = dumpDatabase(path.join(dir, 'forum.db'));
  expect(after).toBe(before);
  return { run, after };
}

describe('a frab schedule.xml that cannot be imported', () => {
  test('malformed XML: the line and column are named', async () => {
    await refused('malformed.xml', frab().replace('<title>Ouverture</title>', '<title>Ouverture</titel>'), /XML.*line \d+.*column \d+|line \d+.*column \d+.*XML/i);
  });

  test('not UTF-8 (Latin-1 bytes)', async () => {
    await refused('latin1.xml', Buffer.from(frab(), 'latin1'), /not valid UTF-8/);
  });

  test('a DOCTYPE with an external entity is refused, never resolved (XXE)', async () => {
    const xxe = frab({
      prologue: '<!DOCTYPE schedule [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
      event: '<date>2024-05-02T10:00:00+02:00</date><start>10:00</start><duration>01:00</duration><room>Salle A</room><title>&xxe;</title><type>Talk</type>',
    });
    const { run, after } = await refused('xxe.xml', xxe, /DOCTYPE/);
    expect(run.stderr + run.stdout + after).not.toContain('root:');
  });

  test('an entity that is not defined is refused too', async () => {
    await refused('entity.xml', frab().replace('Ouverture', 'Ouverture &nbsp;'), /entity/i);
  });

  test('a session that ends before it starts', async () => {
    await refused('backwards.xml', frab().replace('<duration>01:00</duration>', '<duration>00:00</duration>'), /"Ouverture".*ends before it starts|"Ouverture".*(duration|ends)/);
  });

  test('a file over the size limit is refused before it is read', async () => {
    await refused('big.xml', frab().replace('<title>Ouverture</title>', `<title>Ouverture</title><abstract>${'x'.repeat(5000)}</abstract>`), /over the limit of 4096 bytes/, { IMPORT_MAX_BYTES: '4096' });
  });

  test('a file that names no time zone asks for --timezone', async () => {
    await refused('nozone.xml', frab().replace('<time_zone_name>Europe/Paris</time_zone_name>', ''), /--timezone/);
  });
});

describe('a forum-programme JSON file that cannot be imported', () => {
  test('malformed JSON', async () => {
    await refused('malformed.json', JSON.stringify(json).slice(0, -20), /not valid JSON|neither XML nor valid JSON/);
  });

  test('not UTF-8', async () => {
    await refused('latin1.json', Buffer.from(JSON.stringify(json).replace(/[^\x00-\xff]/g, '?'), 'latin1'), /not valid UTF-8/);
  });

  test('a session that ends before it starts is named', async () => {
    const backwards = structuredClone(json);
    const session = backwards.sessions[0];
    const slot = backwards.slots.find((s: { id: string }) => s.id === session.slot);
    [slot.start, slot.end] = [slot.end, slot.start];
    await refused('backwards.json', JSON.stringify(backwards), new RegExp(`session "${session.title.fr}" ends .* before it starts`));
  });

  test('a file that breaks the schema: the place is named', async () => {
    const broken = structuredClone(json);
    broken.sessions[2].kind = 'party';
    await refused('schema.json', JSON.stringify(broken), /\/sessions\/2\/kind/);
  });

  test('a reference to something the file does not have', async () => {
    const dangling = structuredClone(json);
    dangling.sessions[0].outputs = ['00000000-0000-4000-8000-000000000000'];
    await refused('dangling.json', JSON.stringify(dangling), /names the expected output 00000000-0000-4000-8000-000000000000, which the file does not have/);
  });

  test('too big', async () => {
    await refused('big.json', JSON.stringify(json, null, 2), /over the limit of 2048 bytes/, { IMPORT_MAX_BYTES: '2048' });
  });
});
