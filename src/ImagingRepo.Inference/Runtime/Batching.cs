namespace ImagingRepo.Inference.Runtime;

/// <summary>Stacks items along the batch dimension and splits outputs back.</summary>
internal static class Batching
{
    /// <summary>A run of consecutive items.</summary>
    internal readonly record struct Run(int Start, int Count);

    /// <summary>Consecutive items whose batch sizes add up to at most <paramref name="maxBatch"/> (an item larger than that runs alone).</summary>
    public static List<Run> Plan(IReadOnlyList<InferenceTensor> items, int maxBatch)
    {
        var groups = new List<Run>();
        var start = 0;
        long size = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var batch = items[i].Shape[0];
            var compatible = i == start || SameItemShape(items[start], items[i]);
            if (i > start && (size + batch > maxBatch || !compatible))
            {
                groups.Add(new Run(start, i - start));
                start = i;
                size = 0;
            }

            size += batch;
        }

        if (items.Count > start)
        {
            groups.Add(new Run(start, items.Count - start));
        }

        return groups;
    }

    public static InferenceTensor Stack(IReadOnlyList<InferenceTensor> items, Run group)
    {
        var shape = items[group.Start].Shape.ToArray();
        shape[0] = 0;
        for (var i = group.Start; i < group.Start + group.Count; i++)
        {
            shape[0] += items[i].Shape[0];
        }

        var stacked = InferenceTensor.Create(shape);
        var offset = 0;
        for (var i = group.Start; i < group.Start + group.Count; i++)
        {
            items[i].Span.CopyTo(stacked.Span[offset..]);
            offset += items[i].Length;
        }

        return stacked;
    }

    /// <summary>Cuts every output along its first dimension in the items' proportions.</summary>
    public static void Split(ModelOutputs outputs, IReadOnlyList<InferenceTensor> items, Run group, ModelOutputs[] results)
    {
        long total = 0;
        for (var i = group.Start; i < group.Start + group.Count; i++)
        {
            total += items[i].Shape[0];
        }

        var offsets = new int[outputs.Count];
        for (var i = group.Start; i < group.Start + group.Count; i++)
        {
            var parts = new InferenceTensor[outputs.Count];
            for (var o = 0; o < outputs.Count; o++)
            {
                var whole = outputs[o];
                if (whole.Rank == 0 || whole.Shape[0] != total)
                {
                    foreach (var part in parts)
                    {
                        part?.Dispose();
                    }

                    throw new InferenceException($"output '{outputs.Names[o]}' has {(whole.Rank == 0 ? 0 : whole.Shape[0])} items for a batch of {total}; the model cannot be run in batches");
                }

                var shape = whole.Shape.ToArray();
                shape[0] = items[i].Shape[0];
                var length = whole.Length / (int)total * (int)shape[0];
                parts[o] = InferenceTensor.FromValues(whole.Span.Slice(offsets[o], length), shape);
                offsets[o] += length;
            }

            results[i] = new ModelOutputs(outputs.Names, parts);
        }
    }

    private static bool SameItemShape(InferenceTensor a, InferenceTensor b) => a.Shape[1..].SequenceEqual(b.Shape[1..]);
}
