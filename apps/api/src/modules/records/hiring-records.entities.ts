import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/*
 * The hiring records that TypeORM reads through its repositories: jobs (the job list) and rubrics. Every other
 * hiring table is written by the set-based upserts of record-upserts.ts (idempotent on the natural keys) and read
 * by the analytics' SQL, so it has no entity: the tables are described once, by the migrations, and readably in
 * database/schema.snapshot.sql.
 */

@Entity({ name: 'jobs' })
export class Job {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('text', { nullable: true }) title!: string | null;
  @Column('text', { nullable: true }) department!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

export interface RubricCriterion {
  key: string;
  label: string;
  description?: string;
}

@Entity({ name: 'rubrics' })
export class Rubric {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text') name!: string;
  @Column('integer') version!: number;
  @Column('double precision', { name: 'scale_min' }) scaleMin!: number;
  @Column('double precision', { name: 'scale_max' }) scaleMax!: number;
  @Column('jsonb') criteria!: RubricCriterion[];
  @Column('boolean', { name: 'is_default', default: false }) isDefault!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** Kept in its own table so that access to it can be restricted separately from the hiring records. */
