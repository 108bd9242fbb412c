#!/usr/bin/env bash
# Makes a subnet of your own from this template (SUBNETS.md):
#
#   subnets/template/fork.sh NAME [REPO]
#
# copies subnets/template to subnets/NAME in the repository REPO (default: this one), renames the package
# (io.cortex.subnets.NAME, dashes dropped), the class (NAME in CamelCase + Subnet), the mechanism's name and
# the artifact (cortex-subnet-NAME), and adds the module to REPO/pom.xml. Nothing else is touched.
set -euo pipefail

name="${1:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${2:-$here/../..}" && pwd)"
if [[ ! "$name" =~ ^[a-z][a-z0-9-]{1,30}$ ]]; then
  echo "usage: subnets/template/fork.sh NAME [REPO]   (NAME: 2 to 31 of a-z, 0-9 and -, starting with a letter)" >&2
  exit 2
fi
case "$name" in
  template|compute|text-predict|price-forecast|target|src)
    echo "fork.sh: '$name' is taken (a built-in subnet, the template, or a folder of the build): pick a name of your own" >&2
    exit 2 ;;
esac
package="${name//-/}"
case "$package" in
  abstract|assert|boolean|break|byte|case|catch|char|class|const|continue|default|do|double|else|enum|extends|final|\
  finally|float|for|goto|if|implements|import|instanceof|int|interface|long|native|new|package|private|protected|\
  public|return|short|static|strictfp|super|switch|synchronized|this|throw|throws|transient|try|void|volatile|while|\
  true|false|null|var|yield|record|sealed|permits)
    echo "fork.sh: '$name' makes the Java package io.cortex.subnets.$package, and $package is a Java keyword: pick another name" >&2
    exit 2 ;;
esac
target="$repo/subnets/$name"
if [ -e "$target" ]; then
  echo "fork.sh: $target already exists" >&2
  exit 2
fi
[ -f "$repo/pom.xml" ] || { echo "fork.sh: no pom.xml in $repo" >&2; exit 2; }

class="$(echo "$name" | awk -F- '{ for (i = 1; i <= NF; i++) printf "%s%s", toupper(substr($i, 1, 1)), substr($i, 2) }')Subnet"

mkdir -p "$target"
(cd "$here" && tar cf - --exclude=./target --exclude=./fork.sh .) | (cd "$target" && tar xf -)
for tree in main test; do
  mv "$target/src/$tree/java/io/cortex/subnets/template" "$target/src/$tree/java/io/cortex/subnets/$package"
done
mv "$target/src/main/java/io/cortex/subnets/$package/TemplateSubnet.java" "$target/src/main/java/io/cortex/subnets/$package/$class.java"
mv "$target/src/test/java/io/cortex/subnets/$package/TemplateSubnetTest.java" "$target/src/test/java/io/cortex/subnets/$package/${class}Test.java"
find "$target" -type f \( -name '*.java' -o -name 'pom.xml' -o -name 'io.cortex.subnets.SubnetMechanism' \) -print0 |
  xargs -0 sed -i \
    -e "s/io\.cortex\.subnets\.template/io.cortex.subnets.$package/g" \
    -e "s/TemplateSubnet/$class/g" \
    -e "s/cortex-subnet-template/cortex-subnet-$name/g" \
    -e "s/Cortex subnet template/Cortex subnet $name/g" \
    -e "s/return \"template\";/return \"$name\";/" \
    -e "s/named(\"template\")/named(\"$name\")/" \
    -e "s/\"template: /\"$name: /"
if ! grep -q "<module>subnets/$name</module>" "$repo/pom.xml"; then
  sed -i "s#^\(\s*\)<module>subnets/template</module>#&\n\1<module>subnets/$name</module>#" "$repo/pom.xml"
fi

cat <<DONE
made subnets/$name: $class, mechanism '$name', package io.cortex.subnets.$package, module added to pom.xml
next:
  1. make it yours: the methods marked CHANGE in subnets/$name/src/main/java/io/cortex/subnets/$package/$class.java
  2. test it:       mvn -B -q -pl subnets/$name -am install
  3. run it:        CORTEX_CLASSPATH=subnets/$name/target/cortex-subnet-$name.jar ./cortex testnet up --mechanism $name
DONE
