import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config';
import {
  createOrganizationCommand,
  createUserCommand,
  listUsersCommand,
  resetPasswordCommand,
} from './admin';
import { DEMO_EMAIL } from '../modules/demo/demo-seeder.service';
import { generateCommand } from './generate';
import { serve } from './serve';

const USAGE = `Usage:
  main.js [serve]                                  run the API and/or worker (PROCESS_ROLE)
  main.js admin create-org --name <name> [--email <email>] [--password <password>]
  main.js admin create-user --org <id or slug> --email <email> --role <admin|talent_leader|recruiter|analyst>
  main.js admin reset-password [--email <email>]   (default: the demo organization's admin)
  main.js admin list-users --org <id or slug>
  main.js generate --applications <n> --seed <s> --out <dir> [--as-of <date>]`;

export async function runCli(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(config());
    case 'admin': {
      const [sub, ...args] = rest;
      const { values } = parseArgs({
        args,
        options: {
          name: { type: 'string' },
          email: { type: 'string' },
          password: { type: 'string' },
          org: { type: 'string' },
          role: { type: 'string' },
        },
        strict: true,
      });
      const need = (name: keyof typeof values): string => {
        const value = values[name];
        if (!value) throw new Error(`--${name} is required\n${USAGE}`);
        return value;
      };
      let result: unknown;
      switch (sub) {
        case 'create-org':
          result = await createOrganizationCommand(config(), {
            name: need('name'),
            adminEmail: values.email,
            adminPassword: values.password,
          });
          break;
        case 'create-user':
          result = await createUserCommand(config(), {
            org: need('org'),
            email: need('email'),
            role: need('role'),
          });
          break;
        case 'reset-password':
          result = await resetPasswordCommand(config(), { email: values.email ?? DEMO_EMAIL });
          break;
        case 'list-users':
          result = await listUsersCommand(config(), { org: need('org') });
          break;
        default:
          throw new Error(`Unknown admin command "${sub ?? ''}"\n${USAGE}`);
      }
      process.stdout.write(`${JSON.stringify(result, null, sub === 'list-users' ? 2 : undefined)}\n`);
      return;
    }
    case 'generate': {
      const { values } = parseArgs({
        args: rest,
        options: {
          applications: { type: 'string' },
          seed: { type: 'string', default: '42' },
          out: { type: 'string' },
          'as-of': { type: 'string' },
        },
        strict: true,
      });
      const applications = Number(values.applications);
      const seed = Number(values.seed);
      if (!Number.isInteger(applications) || applications < 1)
        throw new Error(`--applications must be a positive whole number\n${USAGE}`);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number\n${USAGE}`);
      if (!values.out) throw new Error(`--out is required\n${USAGE}`);
      const asOf = values['as-of'] ? new Date(values['as-of']) : new Date();
      if (Number.isNaN(asOf.getTime())) throw new Error('--as-of must be a date, e.g. 2026-11-01');
      await generateCommand({ applications, seed, out: values.out, asOf });
      return;
    }
    default:
      throw new Error(`Unknown command "${command}"\n${USAGE}`);
  }
}

function config() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
