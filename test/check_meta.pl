#!/usr/bin/perl
# Checks META.json against PGXN meta-spec 1.0.0's required keys, and that its
# version, license and provides agree with crm_kpi.control and LICENSE.
# Prints TAP; usage: perl test/check_meta.pl [repository root]
use strict;
use warnings;
use JSON::PP;

my $root = shift // '.';
my @fail;
sub check { my ($ok, $what) = @_; push @fail, $what unless $ok; }
sub slurp { my $f = shift; open(my $fh, '<', "$root/$f") or return ''; local $/; <$fh> }

my $meta = eval { decode_json(slurp('META.json')) };
check($meta, 'META.json is valid JSON');
$meta //= {};
for my $key (qw(name abstract version maintainer license provides meta-spec)) {
	check(exists $meta->{$key}, "META.json has the required key $key");
}
check(($meta->{'meta-spec'}{version} // '') eq '1.0.0', 'META.json follows meta-spec 1.0.0');
check(($meta->{version} // '') =~ /^\d+\.\d+\.\d+$/, 'META.json version is semantic');

my ($control_version) = slurp('crm_kpi.control') =~ /^default_version\s*=\s*'([^']+)'/m;
$control_version //= '';
my $provides = $meta->{provides}{crm_kpi} // {};
check(($meta->{name} // '') eq 'crm_kpi', 'META.json name is crm_kpi');
check(($meta->{version} // '') eq $control_version, 'META.json version equals the control file default_version');
check(($provides->{version} // '') eq $control_version, 'provides.crm_kpi.version equals the control file default_version');
check(($provides->{file} // '') eq "crm_kpi--$control_version.sql" && -f "$root/$provides->{file}",
	'provides.crm_kpi.file is the install script of the default version');
check(!$provides->{docfile} || -f "$root/$provides->{docfile}", 'provides.crm_kpi.docfile exists');
check(($meta->{license} // '') eq 'postgresql' && slurp('LICENSE') =~ /\APostgreSQL License\n/,
	'META.json license and LICENSE are both the PostgreSQL licence');

print "1..1\n";
if (@fail) { print "not ok 1 - META.json\n"; print "# $_: failed\n" for @fail; exit 1; }
print "ok 1 - META.json agrees with crm_kpi.control and LICENSE\n";
