# table.awk: turns the drivers' result lines into the one Markdown table.
# First file: rows (metric TAB title TAB ratio|none); second: results
# (metric TAB label TAB number or "-" TAB text). -v labels="a b c" -v vigil="x y"
# gives the column order and which labels are vigil builds (first found wins
# for the ratio; every other label is an anchor); -v same="x y" the anchors
# built the way vigil is, the only ones ranked when they have a figure. Row
# kind "floor": the ratio is over the hidden label "floor" instead. Lower is
# better everywhere.
BEGIN {
	FS = "\t"
	ncol = split(labels, col, " ")
	nv = split(vigil, vig, " ")
	for (i = 1; i <= nv; i++)
		isvigil[vig[i]] = 1
	ns = split(same, s, " ")
	for (i = 1; i <= ns; i++)
		issame[s[i]] = 1
}

FNR == NR {
	nrow++
	metric[nrow] = $1
	title[nrow] = $2
	kind[nrow] = $3
	next
}

{
	text[$1, $2] = $4
	if ($3 != "-")
		num[$1, $2] = $3 + 0
}

# The first vigil build with a number for this metric.
function vigil_value(m,    i) {
	for (i = 1; i <= nv; i++)
		if ((m, vig[i]) in num)
			return vig[i]
	return ""
}

# Any same-built anchor with a figure for this metric?
function same_has(m,    l) {
	for (l in issame)
		if ((m, l) in num)
			return 1
	return 0
}

function ratio(m,    i, l, best, bestl, v, vl, only_same) {
	vl = vigil_value(m)
	bestl = ""
	only_same = same_has(m)
	for (i = 1; i <= ncol; i++) {
		l = col[i]
		if ((l in isvigil) || !((m, l) in num) || (only_same && !(l in issame)))
			continue
		if (bestl == "" || num[m, l] < best) {
			best = num[m, l]
			bestl = l
		}
	}
	if (vl == "")
		return "—"
	if (bestl == "")
		return "only vigil (" vl ")"
	v = num[m, vl]
	if (best == 0)
		return v == 0 ? "equal (" bestl ": 0)" : "∞ (" bestl ": 0)"
	return sprintf("%.2f× %s", v / best, bestl)
}

function floor_ratio(m,    vl) {
	vl = vigil_value(m)
	if (vl == "" || !((m, "floor") in num))
		return "—"
	if (num[m, "floor"] <= 0)
		return sprintf("%s vs floor %s", text[m, vl], text[m, "floor"])
	return sprintf("%.2f× floor (%.0f ms)", num[m, vl] / num[m, "floor"], num[m, "floor"])
}

END {
	line = "| metric |"
	rule = "| --- |"
	for (i = 1; i <= ncol; i++) {
		line = line " " col[i] " |"
		rule = rule " ---: |"
	}
	print line " vigil ÷ best anchor built alike |"
	print rule " --- |"
	for (r = 1; r <= nrow; r++) {
		m = metric[r]
		line = "| " title[r] " |"
		for (i = 1; i <= ncol; i++)
			line = line " " (((m, col[i]) in text) ? text[m, col[i]] : "n/a") " |"
		print line " " (kind[r] == "ratio" ? ratio(m) : kind[r] == "floor" ? floor_ratio(m) : "—") " |"
	}
}
