import './ui/ps-app';
