import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorResponseDto } from 'src/common/dto/error-response.dto';
import { AuthService, AuthUser } from 'src/modules/auth/auth.service';
import { CurrentUser } from 'src/modules/auth/decorators/current-user.decorator';
import { Public } from 'src/modules/auth/decorators/public.decorator';
import { AuthResultDto, LoginDto, RefreshDto, RegisterDto } from 'src/modules/auth/dto/auth.dto';
import { UserDto } from 'src/modules/users/dto/user.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  @ApiOperation({ operationId: 'register', summary: 'Create an account and sign in' })
  @ApiResponse({ status: 201, type: AuthResultDto })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: 'Email already registered' })
  async register(@Body() dto: RegisterDto): Promise<AuthResultDto> {
    return AuthResultDto.from(await this.auth.register(dto.email, dto.password, dto.displayName));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ operationId: 'login', summary: 'Sign in with email and password' })
  @ApiResponse({ status: 200, type: AuthResultDto })
  @ApiResponse({ status: 401, type: ErrorResponseDto, description: 'INVALID_CREDENTIALS' })
  @ApiResponse({ status: 429, type: ErrorResponseDto, description: 'Too many failed attempts' })
  async login(@Body() dto: LoginDto, @Req() req: Request): Promise<AuthResultDto> {
    return AuthResultDto.from(await this.auth.login(dto.email, dto.password, req.ip ?? 'unknown'));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ operationId: 'refresh', summary: 'Exchange a refresh token for new tokens (rotation)' })
  @ApiResponse({ status: 200, type: AuthResultDto })
  @ApiResponse({ status: 401, type: ErrorResponseDto })
  async refresh(@Body() dto: RefreshDto): Promise<AuthResultDto> {
    return AuthResultDto.from(await this.auth.refresh(dto.refreshToken));
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'me', summary: 'The signed-in user' })
  @ApiResponse({ status: 200, type: UserDto })
  @ApiResponse({ status: 401, type: ErrorResponseDto })
  async me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return UserDto.from(await this.auth.me(user.id));
  }
}
