#!/usr/bin/env bash
# The seed prototype's sequence (scripts/cco-manual-sts.sh in the seed project), with the same stand-in commands
# the Nx pipeline runs, every step redone on every run: the baseline of tools/bench/pipeline.
# It also copies tls/, which the seed forgot.
#   seed-like.sh <work dir> <install-config with secrets> <registry auth file> <release image> <sts name> <region>
set -euo pipefail
work=$1 config=$2 auth=$3 release=$4 name=$5 region=$6
rm -rf "$work"
mkdir -p "$work/installer"
oc adm release extract --credentials-requests --cloud=aws --included --install-config="$config" \
  --to="$work/credrequests" -a "$auth" "$release"
ccoctl aws create-all --name="$name" --region="$region" --credentials-requests-dir="$work/credrequests" \
  --output-dir="$work/ccoctl"
cp "$config" "$work/installer/install-config.yaml"
openshift-install create manifests --dir "$work/installer"
cp -a "$work/ccoctl/manifests/." "$work/installer/manifests/"
cp -a "$work/ccoctl/tls" "$work/installer/"
