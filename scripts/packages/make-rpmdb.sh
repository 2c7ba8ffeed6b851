#!/usr/bin/env bash
# Builds a real rpm database (sqlite backend) for strata's package tests, with Debian's rpm tools:
# two tiny packages are built with rpmbuild and installed into an empty root with --root/--dbpath.
# Writes two states of the database to fixtures/packages-src/: rpmdb-1.sqlite (tinytool 1.2.3 and
# tinylib installed) and rpmdb-2.sqlite (tinytool upgraded to 1.2.4, tinylib erased); `npm run
# fixtures` puts them in a two-layer image. Run it again only to change the packages (needs rpm).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/top/{SPECS,SOURCES,BUILD,RPMS,SRPMS} "$work/root"

spec() { # name version release files-script
  cat > "$work/top/SPECS/$1.spec" <<SPEC
Name: $1
Version: $2
Release: $3
Summary: strata test package $1
License: MIT
BuildArch: x86_64
%description
A package made for strata's tests.
%install
$4
%files
%defattr(-,root,root,-)
$5
SPEC
}

spec tinytool 1.2.3 1 \
  'mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/tinytool
printf "#!/bin/sh\necho tinytool\n" > %{buildroot}/usr/bin/tinytool
chmod 755 %{buildroot}/usr/bin/tinytool
head -c 5000 /dev/zero | tr "\0" "t" > %{buildroot}/usr/share/tinytool/data.txt
ln -s tinytool %{buildroot}/usr/bin/tt' \
  '/usr/bin/tinytool
/usr/bin/tt
/usr/share/tinytool'

spec tinylib 0.9 2 \
  'mkdir -p %{buildroot}/usr/lib64
head -c 12000 /dev/zero | tr "\0" "l" > %{buildroot}/usr/lib64/libtiny.so.0
ln %{buildroot}/usr/lib64/libtiny.so.0 %{buildroot}/usr/lib64/libtiny-hardlink.so.0' \
  '/usr/lib64/libtiny.so.0
/usr/lib64/libtiny-hardlink.so.0'

build() { rpmbuild --quiet --define "_topdir $work/top" --define '_build_id_links none' -bb "$work/top/SPECS/$1.spec"; }
rpmq() { rpm --root "$work/root" --dbpath /var/lib/rpm "$@"; }
build tinytool
build tinylib
rpmq --initdb
rpmq -i --nodeps --noscripts --notriggers --ignorearch "$work"/top/RPMS/x86_64/tiny{tool-1.2.3,lib}*.rpm
out="$repo/fixtures/packages-src"
mkdir -p "$out"
sqlite_db="$work/root/var/lib/rpm/rpmdb.sqlite"
[ -f "$sqlite_db" ] || { echo "no rpmdb.sqlite: is rpm's backend sqlite?" >&2; exit 1; }
cp "$sqlite_db" "$out/rpmdb-1.sqlite"
rpmq -qa --qf '1: %{NAME} %{VERSION}-%{RELEASE} %{ARCH}\n' | sort

spec tinytool 1.2.4 1 \
  'mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/tinytool
printf "#!/bin/sh\necho tinytool 1.2.4\n" > %{buildroot}/usr/bin/tinytool
chmod 755 %{buildroot}/usr/bin/tinytool
head -c 7000 /dev/zero | tr "\0" "u" > %{buildroot}/usr/share/tinytool/data.txt
ln -s tinytool %{buildroot}/usr/bin/tt' \
  '/usr/bin/tinytool
/usr/bin/tt
/usr/share/tinytool'
build tinytool
rpmq -U --nodeps --noscripts --notriggers --ignorearch "$work"/top/RPMS/x86_64/tinytool-1.2.4*.rpm
rpmq -e --nodeps --noscripts --notriggers tinylib
cp "$sqlite_db" "$out/rpmdb-2.sqlite"
rpmq -qa --qf '2: %{NAME} %{VERSION}-%{RELEASE} %{ARCH}\n' | sort
