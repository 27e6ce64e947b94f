import { bootstrap } from 'src/main';

void bootstrap('api');
