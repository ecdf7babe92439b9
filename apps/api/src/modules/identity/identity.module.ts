import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AccessPolicyCheck } from './access-policy.check';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { IdentityService } from './identity.service';

@Module({
  imports: [DiscoveryModule],
  controllers: [AuthController],
  providers: [IdentityService, AccessPolicyCheck, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [IdentityService],
})
export class IdentityModule {}
