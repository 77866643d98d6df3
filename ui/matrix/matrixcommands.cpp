#include "ui/matrix/matrixcommands.h"

#include <QCoreApplication>

namespace crucible {

namespace {
QString label(const char *text)
{
    return QCoreApplication::translate("MatrixEditorPanel", text);
}
} // namespace

InsertDimensionCommand::InsertDimensionCommand(MatrixDocument *document, int row,
                                               MatrixDimension dimension)
    : QUndoCommand(label("Add dimension"))
    , m_document(document)
    , m_row(row)
    , m_dimension(std::move(dimension))
{
}

void InsertDimensionCommand::redo()
{
    m_document->dimensions()->insertDimension(m_row, m_dimension);
}

void InsertDimensionCommand::undo()
{
    m_document->dimensions()->removeDimension(m_row);
}

RemoveDimensionCommand::RemoveDimensionCommand(MatrixDocument *document, int row)
    : QUndoCommand(label("Remove dimension"))
    , m_document(document)
    , m_row(row)
    , m_dimension(document->dimensions()->dimension(row))
{
}

void RemoveDimensionCommand::redo()
{
    m_document->dimensions()->removeDimension(m_row);
}

void RemoveDimensionCommand::undo()
{
    m_document->dimensions()->insertDimension(m_row, m_dimension);
}

MoveDimensionCommand::MoveDimensionCommand(MatrixDocument *document, int from, int to)
    : QUndoCommand(label("Move dimension"))
    , m_document(document)
    , m_from(from)
    , m_to(to)
{
}

void MoveDimensionCommand::redo()
{
    m_document->dimensions()->moveDimension(m_from, m_to);
}

void MoveDimensionCommand::undo()
{
    m_document->dimensions()->moveDimension(m_to, m_from);
}

EditDimensionCommand::EditDimensionCommand(MatrixDocument *document, int row, MatrixDimension after,
                                           const QString &text)
    : QUndoCommand(text)
    , m_document(document)
    , m_row(row)
    , m_before(document->dimensions()->dimension(row))
    , m_after(std::move(after))
{
}

void EditDimensionCommand::redo()
{
    m_document->dimensions()->setDimension(m_row, m_after);
}

void EditDimensionCommand::undo()
{
    m_document->dimensions()->setDimension(m_row, m_before);
}

ConstraintTextCommand::ConstraintTextCommand(MatrixDocument *document, QString after, int position,
                                             int removed, int added)
    : QUndoCommand(label("Edit constraints"))
    , m_document(document)
    , m_before(document->constraints())
    , m_after(std::move(after))
    , m_cursorBefore(position + removed)
    , m_cursorAfter(position + added)
    , m_newLine(m_after.mid(position, added).contains(QLatin1Char('\n')) ||
                m_before.mid(position, removed).contains(QLatin1Char('\n')))
{
}

void ConstraintTextCommand::redo()
{
    m_document->setConstraints(m_after, m_cursorAfter);
}

void ConstraintTextCommand::undo()
{
    m_document->setConstraints(m_before, m_cursorBefore);
}

bool ConstraintTextCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = static_cast<const ConstraintTextCommand *>(other);
    // Typing goes on where the caret was left: the next edit starts (insert) or ends
    // (backspace) at our end position.
    if (m_newLine || next->m_newLine || next->m_before != m_after ||
        next->m_cursorBefore != m_cursorAfter)
        return false;
    m_after = next->m_after;
    m_cursorAfter = next->m_cursorAfter;
    return true;
}

SetNumberCommand::SetNumberCommand(MatrixDocument *document, Field field, quint64 value)
    : QUndoCommand(field == Field::Strength ? label("Change strength") : label("Change seed"))
    , m_document(document)
    , m_field(field)
    , m_before(field == Field::Strength ? static_cast<quint64>(document->strength())
                                        : document->seed())
    , m_after(value)
{
}

void SetNumberCommand::apply(quint64 value)
{
    if (m_field == Field::Strength)
        m_document->setStrength(static_cast<int>(value));
    else
        m_document->setSeed(value);
}

void SetNumberCommand::redo()
{
    apply(m_after);
}

void SetNumberCommand::undo()
{
    apply(m_before);
}

bool SetNumberCommand::mergeWith(const QUndoCommand *other)
{
    m_after = static_cast<const SetNumberCommand *>(other)->m_after;
    setObsolete(m_after == m_before);
    return true;
}

ReplaceMatrixCommand::ReplaceMatrixCommand(MatrixDocument *document, MatrixState after,
                                           const QString &text)
    : QUndoCommand(text)
    , m_document(document)
    , m_before(document->state())
    , m_after(std::move(after))
{
}

void ReplaceMatrixCommand::redo()
{
    m_document->setState(m_after);
}

void ReplaceMatrixCommand::undo()
{
    m_document->setState(m_before);
}

} // namespace crucible
