// The only file that reads process.env and listens.
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`forum-programme: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }

  const app = await buildApp(config);
  let closing = false;
  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing');
    // Requests in flight finish; the database is closed last, by the app's onClose hook.
    app.close().then(() => process.exit(0), (error: unknown) => {
      app.log.error({ err: error }, 'error while closing');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => close('SIGINT'));
  process.on('SIGTERM', () => close('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(`forum-programme is serving ${config.publicUrl}`);
}

main().catch((error: unknown) => {
  console.error(`forum-programme could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
