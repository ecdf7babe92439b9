import type {
  ImportKind,
  ImportKindCounts,
  ImportPhase,
  ImportStatus,
  OnErrorMode,
  RecordError,
} from '@hiresignal/shared';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** bigint columns arrive as strings from pg; these fit in a double (file sizes, byte offsets, cursors). */
const bigintAsNumber = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity({ name: 'import_runs' })
export class ImportRun {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text') kind!: ImportKind;
  /** api (JSON records), csv, greenhouse or lever. */
  @Column('text', { default: 'api' }) source!: string;
  @Column('text') status!: ImportStatus;
  /** SHA-256 of the content: a second submit of the same content joins the run in flight. */
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  /** The validated records (JSON records API only); the job reads them from here. */
  @Column('jsonb', { nullable: true, select: false }) payload!: unknown[] | null;
  @Column('integer', { default: 0 }) total!: number;
  @Column('integer', { default: 0 }) processed!: number;
  @Column('integer', { default: 0 }) inserted!: number;
  @Column('integer', { default: 0 }) updated!: number;
  @Column('integer', { default: 0 }) unchanged!: number;
  @Column('integer', { default: 0 }) rejected!: number;
  /** Errors of the JSON records API (file imports keep theirs in import_errors). */
  @Column('jsonb', { default: [] }) errors!: RecordError[];
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason!: string | null;
  @Column('integer', { default: 0 }) attempts!: number;
  @Column('uuid', { name: 'created_by_user_id', nullable: true }) createdByUserId!: string | null;
  @Column('uuid', { name: 'created_by_api_key_id', nullable: true }) createdByApiKeyId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @Column('text', { nullable: true }) filename!: string | null;
  @Column('bigint', { name: 'file_size', nullable: true, transformer: bigintAsNumber })
  fileSize!: number | null;
  @Column('text', { name: 'on_error', default: 'reject' }) onError!: OnErrorMode;
  @Column('text', { default: 'queued' }) phase!: ImportPhase;
  @Column('bigint', { name: 'bytes_processed', default: 0, transformer: bigintAsNumber })
  bytesProcessed!: number;
  /** Write phase progress: index into the kinds written in order, and the committed windows of that kind. */
  @Column('integer', { name: 'write_kind_index', default: 0 }) writeKindIndex!: number;
  @Column('integer', { name: 'write_done', array: true, default: () => "'{}'" }) writeDone!: number[];
  /** The write windows' size, fixed when writing begins, so a resumed run cuts the same windows. */
  @Column('integer', { name: 'write_window_rows', nullable: true }) writeWindowRows!: number | null;
  @Column('integer', { name: 'error_count', default: 0 }) errorCount!: number;
  @Column('jsonb', { name: 'by_kind', default: [] }) byKind!: ImportKindCounts[];
  @Column('text', { nullable: true }) worker!: string | null;
}
