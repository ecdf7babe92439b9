import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/*
 * The hiring records. Writes go through the set-based upserts in record-upserts.ts (idempotent on the natural
 * keys); these entities describe the tables for reads and for TypeORM's metadata.
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

@Entity({ name: 'candidates' })
export class Candidate {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'applications' })
export class Application {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('text', { name: 'candidate_external_id' }) candidateExternalId!: string;
  @Column('text', { name: 'job_external_id' }) jobExternalId!: string;
  @Column('text', { nullable: true }) source!: string | null;
  @Column('timestamptz', { name: 'applied_at' }) appliedAt!: Date;
  @Column('text') status!: string;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column('timestamptz', { name: 'hired_at', nullable: true }) hiredAt!: Date | null;
  @Column('text', { name: 'rejection_reason', nullable: true }) rejectionReason!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity({ name: 'stage_events' })
export class StageEvent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'application_external_id' }) applicationExternalId!: string;
  @Column('text') stage!: string;
  @Column('timestamptz', { name: 'entered_at' }) enteredAt!: Date;
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

@Entity({ name: 'interviewers' })
export class Interviewer {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'interviews' })
export class Interview {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('text', { name: 'application_external_id' }) applicationExternalId!: string;
  @Column('text', { nullable: true }) stage!: string | null;
  @Column('timestamptz', { name: 'interviewed_at', nullable: true }) interviewedAt!: Date | null;
}

@Entity({ name: 'interview_scores' })
export class InterviewScore {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'interview_external_id' }) interviewExternalId!: string;
  @Column('text', { name: 'interviewer_external_id' }) interviewerExternalId!: string;
  @Column('text') criterion!: string;
  @Column('text', { name: 'application_external_id' }) applicationExternalId!: string;
  @Column('double precision') score!: number;
  @Column('text', { nullable: true }) stage!: string | null;
  @Column('timestamptz', { name: 'interviewed_at', nullable: true }) interviewedAt!: Date | null;
  @Column('text', { name: 'rubric_name' }) rubricName!: string;
  @Column('integer', { name: 'rubric_version' }) rubricVersion!: number;
  @Column('text', { nullable: true }) recommendation!: string | null;
}

@Entity({ name: 'performance_reviews' })
export class PerformanceReview {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'application_external_id' }) applicationExternalId!: string;
  @Column('timestamptz', { name: 'review_date' }) reviewDate!: Date;
  @Column('double precision') rating!: number;
  @Column('text', { name: 'review_period', nullable: true }) reviewPeriod!: string | null;
  @Column('integer', { name: 'scale_max', default: 5 }) scaleMax!: number;
}

@Entity({ name: 'separations' })
export class Separation {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'application_external_id' }) applicationExternalId!: string;
  @Column('timestamptz', { name: 'separated_at' }) separatedAt!: Date;
  @Column('text', { name: 'separation_type' }) separationType!: string;
}

/** Kept in its own table so that access to it can be restricted separately from the hiring records. */
@Entity({ name: 'demographics' })
export class Demographic {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'candidate_external_id' }) candidateExternalId!: string;
  @Column('text', { nullable: true }) sex!: string | null;
  @Column('text', { name: 'race_ethnicity', nullable: true }) raceEthnicity!: string | null;
}
