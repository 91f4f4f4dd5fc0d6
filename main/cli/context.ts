/**
 * Per-invocation CLI context: the data directory and lazily opened cache, secret box and app
 * services, so `stagebench devices` never asks for a passphrase and `stagebench --help` opens nothing.
 */
import { createAppServices, type AppServices } from '../app/services';
import { openHeadlessSecretBox, type SecretBox } from '../secrets';
import { defaultActor, resolveDataDir } from '../store';

/** Lazily created resources of one CLI run. Call `close()` before exiting. */
export class CliContext {
  readonly dataDir = resolveDataDir();
  /** Who acts, for the audit trail. */
  readonly actor = `cli:${defaultActor()}`;
  private services: AppServices | null = null;
  private box: SecretBox | null = null;

  /** The headless secret box (needs STAGEBENCH_PASSPHRASE); opened on first use. */
  secretBox(): SecretBox {
    this.box ??= openHeadlessSecretBox(this.dataDir);
    return this.box;
  }

  /**
   * App services over the cache. With `needsSecrets` false, a box that refuses to open is used, so
   * commands that touch no secret work without a passphrase.
   */
  app(needsSecrets = true): AppServices {
    if (!this.services) {
      const box: SecretBox = needsSecrets ? this.secretBox() : lazyBox(() => this.secretBox());
      this.services = createAppServices({ dataDir: this.dataDir, secretBox: box, actor: this.actor });
    }
    return this.services;
  }

  /** Closes the cache and device watchers. */
  close(): void {
    this.services?.close();
    this.services = null;
  }
}

function lazyBox(open: () => SecretBox): SecretBox {
  return { seal: (p) => open().seal(p), open: (s) => open().open(s) };
}
