import { describe, expect, it } from 'vitest';
import { byRule, dir, elf, risksOf, script, symlink, textFile } from '../helpers/risk-fixtures.js';

describe('leftover.init-scripts', () => {
  it('is one finding per init directory, with the scripts and their rc links in related', () => {
    const findings = risksOf([
      [script('/etc/init.d/ssh'), script('/etc/init.d/procps'), symlink('/etc/rc2.d/S01ssh', '../init.d/ssh')],
    ]);
    expect(byRule(findings, 'leftover.init-scripts')).toMatchObject([
      {
        path: '/etc/init.d',
        severity: 'low',
        category: 'leftover',
        related: ['/etc/init.d/procps', '/etc/init.d/ssh', '/etc/rc2.d/S01ssh'],
      },
    ]);
  });

  it('stays quiet on an empty /etc/init.d and a README', () => {
    expect(byRule(risksOf([[dir('/etc/init.d'), textFile('/etc/init.d/README', 'see man\n')]]), 'leftover.')).toEqual(
      [],
    );
  });
});

describe('leftover.systemd-units', () => {
  it('is one finding per unit directory', () => {
    const findings = risksOf([
      [
        textFile('/usr/lib/systemd/system/ssh.service', '[Unit]\n'),
        textFile('/usr/lib/systemd/system/apt-daily.timer', '[Unit]\n'),
      ],
    ]);
    expect(byRule(findings, 'leftover.systemd-units')).toMatchObject([
      {
        path: '/usr/lib/systemd/system',
        related: ['/usr/lib/systemd/system/apt-daily.timer', '/usr/lib/systemd/system/ssh.service'],
      },
    ]);
  });

  it('stays quiet on systemd configuration that is not a unit and on units elsewhere', () => {
    const findings = risksOf([
      [textFile('/etc/systemd/journald.conf', '[Journal]\n'), textFile('/opt/app/deploy/app.service', '[Unit]\n')],
    ]);
    expect(byRule(findings, 'leftover.')).toEqual([]);
  });
});

describe('leftover.cron', () => {
  it('finds crontabs and cron directories', () => {
    const findings = risksOf([
      [
        textFile('/etc/crontab', 'SHELL=/bin/sh\n'),
        script('/etc/cron.daily/dpkg'),
        textFile('/etc/cron.d/e2scrub_all', '30 3 * * 0 root x\n'),
      ],
    ]);
    expect(byRule(findings, 'leftover.cron').map((f) => f.path)).toEqual([
      '/etc/cron.d',
      '/etc/cron.daily',
      '/etc/crontab',
    ]);
  });

  it('stays quiet on placeholders and empty cron directories', () => {
    expect(
      byRule(risksOf([[dir('/etc/cron.daily'), textFile('/etc/cron.weekly/.placeholder', '# keep\n')]]), 'leftover.'),
    ).toEqual([]);
  });
});

describe('leftover.logrotate', () => {
  it('finds logrotate configuration', () => {
    const findings = risksOf([
      [textFile('/etc/logrotate.conf', 'weekly\n'), textFile('/etc/logrotate.d/apt', '/var/log/apt/term.log {}\n')],
    ]);
    expect(byRule(findings, 'leftover.logrotate').map((f) => f.path)).toEqual([
      '/etc/logrotate.conf',
      '/etc/logrotate.d',
    ]);
  });

  it('stays quiet on rotated logs and empty directories', () => {
    expect(byRule(risksOf([[dir('/etc/logrotate.d'), textFile('/var/log/dpkg.log.1', 'x\n')]]), 'leftover.')).toEqual(
      [],
    );
  });
});

describe('leftover.ansible', () => {
  it('finds Ansible directories (one finding each) and tools', () => {
    const findings = risksOf([
      [
        dir('/root/.ansible/tmp'),
        textFile('/root/.ansible/tmp/ansible-local-1/AnsiballZ_apt.py', 'x\n'),
        textFile('/etc/ansible/hosts', '[all]\n'),
        script('/usr/local/bin/ansible-playbook', '/usr/bin/python3'),
      ],
    ]);
    expect(byRule(findings, 'leftover.ansible').map((f) => f.path)).toEqual([
      '/etc/ansible',
      '/root/.ansible',
      '/usr/local/bin/ansible-playbook',
    ]);
    expect(byRule(findings, 'leftover.ansible')[1]!.related).toEqual([
      '/root/.ansible/tmp/ansible-local-1/AnsiballZ_apt.py',
    ]);
  });

  it('stays quiet on documentation and look-alike names', () => {
    expect(
      byRule(risksOf([[textFile('/usr/share/doc/ansible-lint.txt', 'x\n'), elf('/usr/bin/ansiweather')]]), 'leftover.'),
    ).toEqual([]);
  });
});
