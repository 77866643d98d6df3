#include "core/agents/agentpromptrenderer.h"

#include <QRegularExpression>
#include <QStringBuilder>

namespace crucible {

using nlohmann::json;

AgentPromptRenderer::AgentPromptRenderer(const PromptTemplates &templates)
    : m_templates(templates)
{
}

QString AgentPromptRenderer::roleDuty(const QString &role)
{
    if (role == agentrole::generator)
        return QStringLiteral("you solve problems. Read the problem, its constraints and its "
                              "success criteria, then propose a complete, workable solution "
                              "with the steps to carry it out and the assumptions you make.");
    if (role == agentrole::critic)
        return QStringLiteral("you critique other agents' solutions. Check them against the "
                              "problem's constraints and success criteria, name each issue with "
                              "its severity and the criterion it concerns, and suggest a "
                              "concrete fix; do not rewrite the solution yourself.");
    if (role == agentrole::refiner)
        return QStringLiteral("you improve solutions. Take a solution and the critique of it, "
                              "fix every issue the critique raises that is valid, keep what "
                              "already works, and return the complete improved solution.");
    if (role == agentrole::evaluator)
        return QStringLiteral("you judge solutions. Score them against the rubric you are "
                              "given, justify every score with evidence from the solution, and "
                              "stay impartial about who wrote it, its length and its position.");
    QString title = role;
    title.replace(u'_', u' ').replace(u'-', u' ');
    return QStringLiteral("you act as a ") % title %
           QStringLiteral(" and do the task you are given in that capacity.");
}

json AgentPromptRenderer::context(const Agent &agent)
{
    QString title = agent.role;
    title.replace(u'_', u' ').replace(u'-', u' ');
    const bool vowel =
        !title.isEmpty() && QStringLiteral("aeiou").contains(title.at(0), Qt::CaseInsensitive);
    json traits = json::array();
    for (const TraitWording &w : TraitCatalogue::builtIn().wordings(agent))
        traits.push_back({{"trait", w.trait.toStdString()},
                          {"label", w.label.toStdString()},
                          {"value", w.value},
                          {"band", w.band},
                          {"band_name", TraitCatalogue::bandName(w.band).toStdString()},
                          {"phrase", w.phrase.toStdString()},
                          {"behaviour", w.behaviour.toStdString()}});
    QStringList domains;
    for (const QString &d : agent.knowledgeDomains)
        if (!d.trimmed().isEmpty())
            domains << d.trimmed();
    QStringList instructions;
    for (const QString &line : agent.instructions)
        if (!line.trimmed().isEmpty())
            instructions << line.trimmed();
    return {{"name", agent.identity.name.trimmed().toStdString()},
            {"role", agent.role.toStdString()},
            {"role_title", title.toStdString()},
            {"role_article", vowel ? "an" : "a"},
            {"role_duty", roleDuty(agent.role).toStdString()},
            {"specialization", agent.identity.specialization.trimmed().toStdString()},
            {"description", agent.identity.description.trimmed().toStdString()},
            {"traits", traits},
            {"knowledge_domains", domains},
            {"knowledge_domains_text", domains.join(QStringLiteral(", ")).toStdString()},
            {"communication_style", agent.communicationStyle.trimmed().toStdString()},
            {"instructions", instructions}};
}

AgentPrompt AgentPromptRenderer::render(const Agent &agent) const
{
    AgentPrompt out;
    const RenderedPrompt r = m_templates.render(kTemplateId, context(agent));
    if (!r.ok()) {
        out.error = r.error;
        return out;
    }
    // Sections left out (no description, no domains …) leave blank lines behind: keep at most
    // one empty line between paragraphs.
    static const QRegularExpression blankLines(QStringLiteral("\n[ \t]*(\n[ \t]*)+\n"));
    out.text = r.text.trimmed();
    out.text.replace(blankLines, QStringLiteral("\n\n"));
    out.text += u'\n';
    out.promptTemplate = kTemplateId % u'@' % QString::number(r.version);
    return out;
}

} // namespace crucible
