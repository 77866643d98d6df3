#include "ui/feedback/judgebox.h"

#include "core/feedback/judgechoice.h"

#include <QComboBox>

namespace crucible {

void selectCalibratedJudge(QComboBox *box, Workspace &ws)
{
    std::optional<JudgeChoice> choice;
    try {
        choice = chooseJudge(ws);
    } catch (const std::exception &) {
        return; // no ratings table yet (an older workspace): the first judge stays
    }
    if (!choice)
        return;
    const int i = box->findData(choice->versionId);
    if (i < 0)
        return;
    box->setCurrentIndex(i);
    if (choice->calibrated)
        box->setItemText(i, box->itemText(i) +
                                QObject::tr(" — best calibrated: κ %1 over %2 human ratings")
                                    .arg(choice->kappa, 0, 'f', 2)
                                    .arg(choice->ratings));
    box->setToolTip(QObject::tr("Proposed: %1. Judges are chosen by their agreement with your "
                                "ratings in the inbox (%2+ ratings of an aspect count).")
                        .arg(choice->describe())
                        .arg(JudgeChoice::kMinRatings));
}

} // namespace crucible
