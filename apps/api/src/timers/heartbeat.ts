import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Work the API does on a clock: once at start, then every `intervalSeconds`, one beat at a time (a slow beat never
 * piles the next ones up), a failed beat logged and tried again at the next, and the last beat awaited at shutdown.
 * Each beat must be idempotent: every API process runs its own.
 */
export abstract class Heartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  protected constructor(private readonly name: string) {
    this.logger = new Logger(name);
  }

  protected abstract get intervalSeconds(): number;

  /** One beat's work. */
  protected abstract beat(): Promise<void>;

  onApplicationBootstrap(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** Runs a beat after the one in progress; resolves when it is done. */
  tick(): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        await this.beat();
      } catch (error) {
        this.logger.warn(`${this.name} heartbeat: ${(error as Error).message}`);
      }
    });
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
