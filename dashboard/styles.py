"""CSS shared by pages: kept in one place so the same rule is not written three times."""

# A button shown as its icon alone: the label stays for screen readers (and is its
# tooltip where the button has one), but takes no room. For `<selector> button p`.
ICON_ONLY_LABEL = ("position:absolute;width:1px;height:1px;overflow:hidden;"
                   "clip-path:inset(50%);white-space:nowrap")
