import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { Voice } from 'src/providers/ai/speech-synthesizer.provider';

export class SynthesizeVoiceDto {
  @ApiProperty({ minLength: 1, maxLength: 5000, example: 'Honeybees dance to tell each other where flowers are.' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  @Matches(/\S/, { message: 'must contain something to say' })
  text!: string;

  @ApiPropertyOptional({ example: 'espeak:en-us', description: 'One of GET /voices; by default a voice for the text' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  voiceId?: string;

  @ApiPropertyOptional({ minimum: 0.5, maximum: 2, default: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.5)
  @Max(2)
  speed?: number;

  @ApiPropertyOptional({ description: 'Gets one signed POST when the task finishes' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  callbackUrl?: string;
}

export class VoiceDto implements Voice {
  @ApiProperty({ example: 'espeak:en-us' }) id!: string;
  @ApiProperty({ example: 'offline' }) provider!: string;
  @ApiProperty({ example: 'en-US' }) language!: string;
  @ApiProperty({ example: 'English (US)' }) name!: string;
  @ApiPropertyOptional({ enum: ['female', 'male', 'neutral'] }) gender?: 'female' | 'male' | 'neutral';
}
