import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'organizations' })
export class Organization {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { unique: true }) slug!: string;
  /** r_yy used for the operational-validity correction (PRODUCT.md default .52). */
  @Column('double precision', { name: 'criterion_reliability', default: 0.52 }) criterionReliability!: number;
  @Column('double precision', { name: 'success_threshold', default: 4 }) successThreshold!: number;
  @Column('integer', { name: 'minimum_sample', default: 30 }) minimumSample!: number;
  /** Bumped by every ingestion that changes data; analytics caches key on it. */
  @Column('bigint', { name: 'data_version', default: 0 }) dataVersion!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
