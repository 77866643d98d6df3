#pragma once
// The judge a dialog proposes: the evaluator best calibrated against the human ratings
// (chooseJudge), else the newest one, selected in the dialog's judge box and marked with why.
// GUI thread; reads the workspace's ratings through the GUI's connection (a small read).

class QComboBox;

namespace crucible {

class Workspace;

// Selects the chosen judge among `box`'s items (data: agent version ids) and says why in its
// text and tooltip. Leaves the box as it is when nothing can be chosen.
void selectCalibratedJudge(QComboBox *box, Workspace &ws);

} // namespace crucible
