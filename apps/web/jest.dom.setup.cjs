// TestBed for the component tests: zoneless, as the dashboard runs.
require('jest-preset-angular/setup-env/zoneless').setupZonelessTestEnv();
