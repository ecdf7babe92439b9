import type { ImportStatus, RecordError, RecordKind } from '@hiresignal/shared';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'import_runs' })
export class ImportRun {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text') kind!: RecordKind;
  @Column('text', { default: 'api' }) source!: string;
  @Column('text') status!: ImportStatus;
  /** SHA-256 of (kind, canonical payload): a second submit of the same content joins the run in flight. */
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  /** The validated records; the job reads them from here so a retry or another worker sees the same input. */
  @Column('jsonb', { nullable: true, select: false }) payload!: unknown[] | null;
  @Column('integer', { default: 0 }) total!: number;
  @Column('integer', { default: 0 }) processed!: number;
  @Column('integer', { default: 0 }) inserted!: number;
  @Column('integer', { default: 0 }) updated!: number;
  @Column('integer', { default: 0 }) unchanged!: number;
  @Column('integer', { default: 0 }) rejected!: number;
  @Column('jsonb', { default: [] }) errors!: RecordError[];
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason!: string | null;
  @Column('integer', { default: 0 }) attempts!: number;
  @Column('uuid', { name: 'created_by_user_id', nullable: true }) createdByUserId!: string | null;
  @Column('uuid', { name: 'created_by_api_key_id', nullable: true }) createdByApiKeyId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}
