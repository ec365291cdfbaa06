# debian-src: fetching Debian source packages through a private apt
# configuration, sourced by scripts/release.sh and bench/run. The system's
# apt configuration is never touched: our own sources list (deb-src only),
# lists and cache live under $D/apt. Needs D (a work dir) and SUITE.

# The archive host this machine already uses for $SUITE (one-line or
# deb822 sources), so the sources come from the same mirror as its
# packages; Debian's own host when none is configured.
mirror() {
	local uri=
	if [ -f /etc/apt/sources.list ]; then
		uri=$(awk -v s="$SUITE" '$1 == "deb" {
			i = 2
			if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
			if ($(i + 1) == s) { print $i; exit } }' /etc/apt/sources.list)
	fi
	if [ -z "$uri" ]; then
		uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v s="$SUITE" '
			BEGIN { RS = ""; FS = "\n" }
			{ uris = ""; ok = 0; deb = 0; off = 0
			  for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
				if ($i ~ /^Suites:/ && (" " $i " ") ~ (" " s " ")) ok = 1
				if ($i ~ /^Types:/ && $i ~ /[ \t]deb([ \t]|$)/) deb = 1
				if ($i ~ /^Enabled:[ \t]*no/) off = 1
			  }
			  if (ok && deb && !off && uris != "") { split(uris, u, " "); print u[1]; exit } }')
	fi
	echo "${uri:-http://deb.debian.org/debian}"
}

# Private apt state: our own sources list (deb-src only), lists and cache.
# Dir::Etc::sourceparts=- keeps the system's sources.list.d out of it.
apt_private() {
	apt-get -q -o Dir::Etc::sourcelist="$D/apt/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$D/apt/lists" -o Dir::Cache="$D/apt/cache" \
		-o APT::Sandbox::User=root "$@"
}

# debsrc_setup: write the private deb-src list and fetch its index.
# apt-get source then checks each file against the signed Sources index.
debsrc_setup() {
	local key=/usr/share/keyrings/debian-archive-keyring.gpg opt=
	mkdir -p "$D/apt/lists/partial" "$D/apt/cache"
	[ -f "$key" ] && opt="[signed-by=$key] "
	printf 'deb-src %s%s %s main\n' "$opt" "$(mirror)" "$SUITE" >"$D/apt/sources.list"
	apt_private update
}
