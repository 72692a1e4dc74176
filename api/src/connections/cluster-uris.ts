import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The URIs the API's shared pools use, per cluster: CLUSTER_URIS (the environment) overlaid by
 * CLUSTER_URIS_DIR (a mounted Secret, one file per cluster name). The kubelet rewrites a mounted
 * Secret in place when it changes, as it does when a cluster's credential is rotated; `refresh()`
 * re-reads the directory and names the clusters whose URI changed, so that their pools can drain to
 * the new one without a restart. URIs carry passwords: nothing here logs them.
 */
export class ClusterURIs {
  readonly #fixed: Record<string, string>;
  readonly #dir: string | undefined;
  #current: Map<string, string>;

  constructor(fixed: Record<string, string>, dir?: string) {
    this.#fixed = fixed;
    this.#dir = dir;
    this.#current = this.#read();
  }

  get(cluster: string): string | undefined {
    return this.#current.get(cluster);
  }

  /** Whether there is a directory to re-read at all. */
  get watched(): boolean {
    return this.#dir !== undefined;
  }

  /**
   * Re-reads the directory; returns the clusters whose URI was added, changed or removed. A
   * directory that cannot be read right now (the kubelet swaps it atomically, but a mount can be
   * missing) keeps the URIs known: the error is thrown for the caller to log.
   */
  refresh(): string[] {
    const next = this.#read();
    const changed = new Set<string>();
    for (const [cluster, uri] of next) if (this.#current.get(cluster) !== uri) changed.add(cluster);
    for (const cluster of this.#current.keys()) if (!next.has(cluster)) changed.add(cluster);
    this.#current = next;
    return [...changed];
  }

  #read(): Map<string, string> {
    const uris = new Map(Object.entries(this.#fixed));
    if (!this.#dir) return uris;
    for (const name of readdirSync(this.#dir)) {
      // The kubelet's bookkeeping (..data, ..2026_11_30…) and hidden files are not clusters.
      if (name.startsWith('.')) continue;
      const uri = readFileSync(join(this.#dir, name), 'utf8').trim();
      if (uri) uris.set(name, uri);
    }
    return uris;
  }
}
