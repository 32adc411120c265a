using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ImagingRepo.Inference.Runtime;

/// <summary>
/// One run through IO binding: inputs are bound as <see cref="OrtValue"/>s over the callers' pooled buffers (float32
/// as they are; float16 converted once), outputs whose shape is known are bound over pooled buffers ONNX Runtime writes
/// into, the rest are left to ONNX Runtime and converted to float32 after the run.
/// </summary>
internal static class BoundRun
{
    public static ModelOutputs Execute(SessionLane lane, ModelDescription description, IReadOnlyList<InferenceTensor> inputs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (inputs.Count != description.Inputs.Count)
        {
            throw new ModelInputMismatchException(description.Inputs[0].Name, $"{description.Inputs.Count} input(s) ({string.Join(", ", description.Inputs)})", $"{inputs.Count}");
        }

        var binding = lane.Binding;
        var owned = new List<IDisposable>();
        var outputs = new InferenceTensor?[description.Outputs.Count];
        var completed = false;
        try
        {
            binding.ClearBoundInputs();
            binding.ClearBoundOutputs();
            long batch = -1;
            for (var i = 0; i < inputs.Count; i++)
            {
                var declared = description.Inputs[i];
                var tensor = inputs[i];
                Check(declared, tensor);
                batch = i == 0 ? tensor.Shape[0] : batch;
                var value = InputValue(declared, tensor, owned);
                owned.Add(value);
                binding.BindInput(declared.Name, value);
            }

            for (var o = 0; o < outputs.Length; o++)
            {
                var declared = description.Outputs[o];
                if (declared.ElementType == TensorElementType.Float && KnownShape(declared, batch) is { } shape)
                {
                    var tensor = InferenceTensor.Create(shape);
                    outputs[o] = tensor;
                    var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensor.Memory, shape);
                    owned.Add(value);
                    binding.BindOutput(declared.Name, value);
                }
                else
                {
                    binding.BindOutputToDevice(declared.Name, OrtMemoryInfo.DefaultInstance);
                }
            }

            Run(lane, cancellationToken);

            using var values = binding.GetOutputValues();
            var index = 0;
            foreach (var value in values)
            {
                outputs[index] ??= ToFloat(description.Outputs[index], value);
                index++;
            }

            completed = true;
            return new ModelOutputs([.. description.Outputs.Select(d => d.Name)], outputs!);
        }
        finally
        {
            foreach (var disposable in owned)
            {
                disposable.Dispose();
            }

            if (!completed)
            {
                foreach (var output in outputs)
                {
                    output?.Dispose();
                }
            }
        }
    }

    private static void Run(SessionLane lane, CancellationToken cancellationToken)
    {
        var runOptions = lane.RunOptions;
        using (cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions))
        {
            try
            {
                lane.Session.RunWithBinding(runOptions, lane.Binding);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                lane.ResetRunOptions();
                throw new OperationCanceledException(cancellationToken);
            }
            catch (OnnxRuntimeException e)
            {
                throw new InferenceException($"the model failed to run: {ExecutionProviders.FirstLine(e.Message)}", e);
            }
        }

        if (cancellationToken.IsCancellationRequested)
        {
            lane.ResetRunOptions();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Rank and every fixed dimension must agree; a free dimension takes anything.</summary>
    internal static void Check(TensorDescription declared, InferenceTensor tensor)
    {
        var shape = tensor.Shape;
        var matches = shape.Length == declared.Rank;
        for (var d = 0; matches && d < shape.Length; d++)
        {
            matches = declared.Dimensions[d] < 0 || declared.Dimensions[d] == shape[d];
        }

        if (!matches)
        {
            throw new ModelInputMismatchException(declared.Name, declared.ToString(), "Float" + TensorDescription.FormatShape(shape.ToArray()));
        }

        if (declared.ElementType is not (TensorElementType.Float or TensorElementType.Float16))
        {
            throw new ModelInputMismatchException(declared.Name, declared.ToString(), "Float tensors (only float32 and float16 model inputs are supported)");
        }
    }

    private static OrtValue InputValue(TensorDescription declared, InferenceTensor tensor, List<IDisposable> owned)
    {
        var shape = tensor.ShapeArray();
        if (declared.ElementType == TensorElementType.Float)
        {
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensor.Memory, shape);
        }

        var halves = new PooledArray<Float16>(tensor.Length);
        owned.Add(halves);
        var source = tensor.Span;
        var target = halves.Span;
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = new Float16(BitConverter.HalfToUInt16Bits((Half)source[i]));
        }

        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, halves.Memory, shape);
    }

    /// <summary>The output shape when it follows from the graph: fixed dimensions, and a free batch equal to the input's.</summary>
    private static long[]? KnownShape(TensorDescription declared, long batch)
    {
        var shape = new long[declared.Rank];
        for (var d = 0; d < shape.Length; d++)
        {
            shape[d] = declared.Dimensions[d] > 0 ? declared.Dimensions[d] : d == 0 && batch > 0 ? batch : -1;
            if (shape[d] < 0)
            {
                return null;
            }
        }

        return shape.Length > 0 ? shape : null;
    }

    private static InferenceTensor ToFloat(TensorDescription declared, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        var tensor = InferenceTensor.Create(shape.Length == 0 ? [1] : shape);
        var target = tensor.Span;
        try
        {
            switch (info.ElementDataType)
            {
                case TensorElementType.Float:
                    value.GetTensorDataAsSpan<float>().CopyTo(target);
                    break;
                case TensorElementType.Float16:
                    Convert(value.GetTensorDataAsSpan<Float16>(), target, static h => (float)BitConverter.UInt16BitsToHalf(h.value));
                    break;
                case TensorElementType.Double:
                    Convert(value.GetTensorDataAsSpan<double>(), target, static v => (float)v);
                    break;
                case TensorElementType.Int64:
                    Convert(value.GetTensorDataAsSpan<long>(), target, static v => v);
                    break;
                case TensorElementType.Int32:
                    Convert(value.GetTensorDataAsSpan<int>(), target, static v => v);
                    break;
                case TensorElementType.UInt8:
                    Convert(value.GetTensorDataAsSpan<byte>(), target, static v => v);
                    break;
                case TensorElementType.Int8:
                    Convert(value.GetTensorDataAsSpan<sbyte>(), target, static v => v);
                    break;
                case TensorElementType.Bool:
                    Convert(value.GetTensorDataAsSpan<bool>(), target, static v => v ? 1 : 0);
                    break;
                default:
                    throw new InferenceException($"output '{declared.Name}' has element type {info.ElementDataType}, which cannot be read as numbers");
            }

            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    private static void Convert<T>(ReadOnlySpan<T> source, Span<float> target, Func<T, float> convert)
    {
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = convert(source[i]);
        }
    }

    /// <summary>A pooled array seen as memory of exactly the requested length.</summary>
    private sealed class PooledArray<T>(int length) : IDisposable
    {
        private readonly T[] _array = ArrayPool<T>.Shared.Rent(Math.Max(length, 1));

        public Span<T> Span => _array.AsSpan(0, length);

        public Memory<T> Memory => _array.AsMemory(0, length);

        public void Dispose() => ArrayPool<T>.Shared.Return(_array);
    }
}
