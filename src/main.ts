import './start-policy';
import { installTheme } from './ui/theme/tokens';
import './ui/ps-app';

installTheme();
