namespace ImagingRepo.Inference.Runtime;

/// <summary>The outputs of one run, in the model's output order; disposing returns their buffers.</summary>
public sealed class ModelOutputs : IDisposable
{
    private readonly IReadOnlyList<string> _names;
    private readonly InferenceTensor[] _tensors;

    internal ModelOutputs(IReadOnlyList<string> names, InferenceTensor[] tensors)
    {
        _names = names;
        _tensors = tensors;
    }

    /// <summary>The number of outputs.</summary>
    public int Count => _tensors.Length;

    /// <summary>The output names, in order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The output at a position.</summary>
    /// <param name="index">The position.</param>
    public InferenceTensor this[int index] => _tensors[index];

    /// <summary>The output with a name.</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="KeyNotFoundException">The model has no such output.</exception>
    public InferenceTensor this[string name]
    {
        get
        {
            for (var i = 0; i < _names.Count; i++)
            {
                if (_names[i] == name)
                {
                    return _tensors[i];
                }
            }

            throw new KeyNotFoundException($"the model has no output named '{name}' (it has {string.Join(", ", _names)})");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in _tensors)
        {
            tensor?.Dispose();
        }
    }
}
