/** `show`: the mirror's YAML and its comment. */
import { mirrorFromJson, mirrorToJson, mirrorToYaml, type MirrorJson } from '@mirrorball/admin/format';
import type { Cli } from '../context.ts';
import { matchMirror } from '../context.ts';

export async function show(cli: Cli, name: string, json: boolean): Promise<void> {
  const { ID } = await matchMirror(cli, name);
  const m = await cli.client.request<MirrorJson>('GET', `/v1/mirrors/${ID}`);
  if (json) {
    cli.out(JSON.stringify(mirrorToJson(mirrorFromJson(m)), null, 2) + '\n');
    return;
  }
  cli.out(`${mirrorToYaml(mirrorFromJson(m))}\nComment:\n${m.Comment}\n`);
}
