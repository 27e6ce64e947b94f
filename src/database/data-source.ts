import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadAppConfig } from 'src/config/app.config';
import { dataSourceOptions } from 'src/database/data-source.options';

/** For the TypeORM CLI (`npm run migration:*`), reading the same environment as the app. */
export default new DataSource(dataSourceOptions(loadAppConfig().db));
