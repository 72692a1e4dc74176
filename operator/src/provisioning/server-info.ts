import type { MongoClient } from 'mongodb';

export type ServerFlavour = 'mongodb' | 'ferretdb';

export interface ServerInfo {
  readonly flavour: ServerFlavour;
  readonly version: string;
}

/** MongoDB or FerretDB, from buildInfo: FerretDB answers with a `ferretdbVersion` field. */
export async function detectServer(client: MongoClient): Promise<ServerInfo> {
  const info = await client.db('admin').command({ buildInfo: 1 });
  if (typeof info.ferretdbVersion === 'string') {
    return { flavour: 'ferretdb', version: info.ferretdbVersion.replace(/^v/, '') };
  }
  return { flavour: 'mongodb', version: String(info.version ?? 'unknown') };
}
