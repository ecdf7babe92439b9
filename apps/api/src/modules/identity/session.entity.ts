import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'sessions' })
export class Session {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  /** SHA-256 of the cookie token: a database leak does not hand out live sessions. */
  @Column('text', { name: 'token_hash', unique: true }) tokenHash!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  /** Absolute expiry: the session ends then whatever its use. */
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  /** For the idle expiry; refreshed at most once a minute. */
  @Column('timestamptz', { name: 'last_seen_at' }) lastSeenAt!: Date;
  @Column('text', { nullable: true }) ip!: string | null;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent!: string | null;
}
