#pragma once
// Undo commands for the problem matrix editor. Each changes a MatrixDocument (borrowed; it
// must outlive the undo stack) and restores it exactly on undo.

#include "ui/matrix/matrixdocument.h"

#include <QUndoCommand>

namespace crucible {

class InsertDimensionCommand final : public QUndoCommand
{
public:
    InsertDimensionCommand(MatrixDocument *document, int row, MatrixDimension dimension);
    void redo() override;
    void undo() override;

private:
    MatrixDocument *m_document;
    int m_row;
    MatrixDimension m_dimension;
};

class RemoveDimensionCommand final : public QUndoCommand
{
public:
    RemoveDimensionCommand(MatrixDocument *document, int row);
    void redo() override;
    void undo() override;

private:
    MatrixDocument *m_document;
    int m_row;
    MatrixDimension m_dimension;
};

class MoveDimensionCommand final : public QUndoCommand
{
public:
    MoveDimensionCommand(MatrixDocument *document, int from, int to);
    void redo() override;
    void undo() override;

private:
    MatrixDocument *m_document;
    int m_from;
    int m_to;
};

// Rename, edit values or edit weights of one dimension.
class EditDimensionCommand final : public QUndoCommand
{
public:
    EditDimensionCommand(MatrixDocument *document, int row, MatrixDimension after,
                         const QString &text);
    void redo() override;
    void undo() override;

private:
    MatrixDocument *m_document;
    int m_row;
    MatrixDimension m_before;
    MatrixDimension m_after;
};

// One edit of the constraint text. Consecutive typing (or deleting) at the caret merges into
// one command; a new line, a jump elsewhere or any other command starts a new one.
class ConstraintTextCommand final : public QUndoCommand
{
public:
    ConstraintTextCommand(MatrixDocument *document, QString after, int position, int removed,
                          int added);
    void redo() override;
    void undo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    MatrixDocument *m_document;
    QString m_before;
    QString m_after;
    int m_cursorBefore;
    int m_cursorAfter;
    bool m_newLine;
};

// Strength or seed; consecutive changes of the same one (spin box arrows) merge.
class SetNumberCommand final : public QUndoCommand
{
public:
    enum class Field { Strength, Seed };
    SetNumberCommand(MatrixDocument *document, Field field, quint64 value);
    void redo() override;
    void undo() override;
    int id() const override { return m_field == Field::Strength ? 2 : 3; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    void apply(quint64 value);

    MatrixDocument *m_document;
    Field m_field;
    quint64 m_before;
    quint64 m_after;
};

// Replaces the whole matrix (import, example, clear).
class ReplaceMatrixCommand final : public QUndoCommand
{
public:
    ReplaceMatrixCommand(MatrixDocument *document, MatrixState after, const QString &text);
    void redo() override;
    void undo() override;

private:
    MatrixDocument *m_document;
    MatrixState m_before;
    MatrixState m_after;
};

} // namespace crucible
