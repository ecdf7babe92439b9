import { DataSource, type DataSourceOptions } from 'typeorm';
import { ApiKey } from '../modules/identity/api-key.entity';
import { Session } from '../modules/identity/session.entity';
import { UserToken } from '../modules/identity/user-token.entity';
import { User } from '../modules/identity/user.entity';
import { ImportRun } from '../modules/ingestion/import-run.entity';
import { Organization } from '../modules/organizations/organization.entity';
import { Job, Rubric } from '../modules/records/hiring-records.entities';
import { InitialSchema1764100000000 } from './migrations/1764100000000-initial-schema';
import { FileImports1764300000000 } from './migrations/1764300000000-file-imports';
import { ApplicationCriterionScores1764400000000 } from './migrations/1764400000000-application-criterion-scores';
import { ImportRunActivity1764500000000 } from './migrations/1764500000000-import-run-activity';
import { ImportWriteWindows1764600000000 } from './migrations/1764600000000-import-write-windows';
import { InterviewScoresCellIndex1764700000000 } from './migrations/1764700000000-interview-scores-cell-index';
import { ApplicationScoreVectors1764800000000 } from './migrations/1764800000000-application-score-vectors';
import { InterviewCalibrationSummaries1764900000000 } from './migrations/1764900000000-interview-calibration-summaries';
import { SummaryTriggersReadTransitionTables1765000000000 } from './migrations/1765000000000-summary-triggers-read-transition-tables';
import { TeamAccess1765100000000 } from './migrations/1765100000000-team-access';
import { RowLevelSecurity1765200000000 } from './migrations/1765200000000-row-level-security';
import { PipelineStages1765400000000 } from './migrations/1765400000000-pipeline-stages';
import { ImportRunStarts1765300000000 } from './migrations/1765300000000-import-run-starts';
import { CohortsAndExports1765700000000 } from './migrations/1765700000000-cohorts-and-exports';
import { ExportSchedules1765800000000 } from './migrations/1765800000000-export-schedules';
import { FairnessSettings1765600000000 } from './migrations/1765600000000-fairness-settings';
import { ExportOptions1765900000000 } from './migrations/1765900000000-export-options';
import { InterviewerNames1766100000000 } from './migrations/1766100000000-interviewer-names';
import { ImportWriteWindowRows1766600000000 } from './migrations/1766600000000-import-write-window-rows';
import { ApplicationStagePaths1765500000000 } from './migrations/1765500000000-application-stage-paths';
import { FunnelSummaries1766000000000 } from './migrations/1766000000000-funnel-summaries';
import { scopeConnections } from './tenancy';
import { EMBEDDED_MAX_CONNECTIONS, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

export const ENTITIES = [Organization, User, UserToken, Session, ApiKey, ImportRun, Job, Rubric];

/** Listed, not globbed: glob paths do not survive the webpack bundle. */
export const MIGRATIONS = [
  InitialSchema1764100000000,
  FileImports1764300000000,
  ApplicationCriterionScores1764400000000,
  ImportRunActivity1764500000000,
  ImportWriteWindows1764600000000,
  InterviewScoresCellIndex1764700000000,
  ApplicationScoreVectors1764800000000,
  InterviewCalibrationSummaries1764900000000,
  SummaryTriggersReadTransitionTables1765000000000,
  TeamAccess1765100000000,
  RowLevelSecurity1765200000000,
  PipelineStages1765400000000,
  ImportRunStarts1765300000000,
  ApplicationStagePaths1765500000000,
  FairnessSettings1765600000000,
  CohortsAndExports1765700000000,
  ExportSchedules1765800000000,
  ExportOptions1765900000000,
  FunnelSummaries1766000000000,
  InterviewerNames1766100000000,
  ImportWriteWindowRows1766600000000,
];

export interface DatabaseSettings {
  databaseUrl?: string;
  poolSize: number;
  /** Embedded mode: where PGlite keeps its files; null for an in-memory database. */
  embeddedDataDir: string | null;
}

export interface OpenDatabase {
  dataSource: DataSource;
  mode: 'postgres' | 'embedded';
  embedded: EmbeddedPostgres | null;
  close(): Promise<void>;
}

/** Connects (starting the embedded server when there is no DATABASE_URL) and applies pending migrations. */
export async function openDatabase(settings: DatabaseSettings): Promise<OpenDatabase> {
  const embedded = settings.databaseUrl ? null : await startEmbeddedPostgres(settings.embeddedDataDir);
  const connection: Partial<DataSourceOptions> = embedded
    ? { host: embedded.host, port: embedded.port, username: 'postgres', database: 'postgres' }
    : { url: settings.databaseUrl };
  const dataSource = new DataSource({
    type: 'postgres',
    ...connection,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'all',
    synchronize: false,
    logging: ['error'],
    extra: {
      max: embedded ? Math.min(settings.poolSize, EMBEDDED_MAX_CONNECTIONS) : settings.poolSize,
      application_name: 'hiresignal',
    },
  } as DataSourceOptions);
  try {
    await dataSource.initialize();
    scopeConnections(dataSource);
    await migrate(dataSource, embedded === null);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    mode: embedded ? 'embedded' : 'postgres',
    embedded,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** API and worker processes may boot together: on PostgreSQL an advisory lock lets one migrate at a time. */
async function migrate(dataSource: DataSource, shared: boolean): Promise<void> {
  if (!shared) {
    await dataSource.runMigrations();
    return;
  }
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', ['hiresignal:migrations']);
    await dataSource.runMigrations();
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', ['hiresignal:migrations']);
  } finally {
    await lock.release();
  }
}
