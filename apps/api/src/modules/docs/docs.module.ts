import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DocsController } from './docs.controller';
import { OpenApiService } from './openapi.service';

@Module({ imports: [DiscoveryModule], controllers: [DocsController], providers: [OpenApiService] })
export class DocsModule {}
