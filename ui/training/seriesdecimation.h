#pragma once
// Decimation of a long line series for drawing: a plot a few hundred pixels wide cannot show
// 100,000 points, and handing them all to Qt Charts costs memory and a long paint. Min/max
// decimation (M4) keeps, per pixel column, the first, lowest, highest and last point in x order,
// so the drawn line has the same extremes and the same envelope as the full one. Pure functions;
// points must be sorted by x.

#include <QPointF>

#include <span>
#include <vector>

namespace crucible {

// At most 4 × buckets points (fewer when a column has fewer), in x order. Points outside
// [x0, x1] fall into the first or last column. Returns the points unchanged when there are no
// more than 4 × buckets of them. buckets < 1 is taken as 1.
std::vector<QPointF> decimateMinMax(std::span<const QPointF> points, double x0, double x1,
                                    int buckets);

} // namespace crucible
