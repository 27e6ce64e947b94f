import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from 'src/common/errors/app-error';

export class FieldErrorDto {
  @ApiProperty({ example: 'sceneCount' }) field!: string;
  @ApiProperty({ example: 'must not be greater than 20' }) message!: string;
}

/** The contract's single error shape, for the OpenAPI document. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'VALIDATION_FAILED' }) error!: ErrorCode;
  @ApiProperty({ example: 'Validation failed' }) message!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) details?: FieldErrorDto[];
  @ApiProperty() requestId!: string;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
}
