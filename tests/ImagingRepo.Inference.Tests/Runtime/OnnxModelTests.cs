using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Tests.Models;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Tests.Runtime;

[Collection(ModelsCollection.Name)]
public sealed class OnnxModelTests(TestModels models)
{
    private static readonly ModelRuntimeOptions Cpu = new() { Device = ExecutionDevice.Cpu };

    [SkippableFact]
    public async Task Threshold_segmenter_marks_exactly_the_voxels_above_its_threshold()
    {
        using var model = OnnxModel.Load(models["threshold2d.onnx"], Cpu);
        float[] values = [0.1f, 0.6f, 0.5f, 0.9f, -3f, 2f];
        using var input = InferenceTensor.FromValues(values, 1, 1, 2, 3);

        using var outputs = await model.RunAsync(input);

        Assert.Equal([1L, 1, 2, 3], outputs[0].Shape.ToArray());
        Assert.Equal([0f, 1f, 0f, 1f, 0f, 1f], outputs["probability"].Span.ToArray());
    }

    [SkippableFact]
    public async Task Tiny_classifier_with_fixed_weights_gives_the_expected_softmax()
    {
        using var model = OnnxModel.Load(models["classifier.onnx"], Cpu);
        var bright = Enumerable.Repeat(1f, 64).ToArray();
        using var input = InferenceTensor.FromValues(bright, 1, 1, 8, 8);

        using var outputs = await model.RunAsync(input);

        // mean 1: logits (-4 + 2, 4 - 2) = (-2, 2); softmax = (1/(1+e^4), e^4/(1+e^4))
        var expected1 = (float)(Math.Exp(4) / (1 + Math.Exp(4)));
        Assert.Equal(1 - expected1, outputs[0].Span[0], 5);
        Assert.Equal(expected1, outputs[0].Span[1], 5);
        Assert.Equal(ModelTask.Classification, model.Description.Task);
    }

    [SkippableFact]
    public void Metadata_comes_from_the_onnx_file_when_there_is_no_sidecar()
    {
        using var model = OnnxModel.Load(models["threshold2d.onnx"], Cpu);
        var description = model.Description;

        Assert.Equal("threshold-segmenter", description.Name);
        Assert.Equal("1.0.0", description.Version);
        Assert.Equal("ImagingRepo tests", description.Manufacturer);
        Assert.Equal(64, description.Sha256.Length);
        Assert.Equal(ModelTask.Segmentation, description.Task);
        var label = Assert.Single(description.Labels);
        Assert.Equal(new CodedConcept("10200004", "SCT", "Liver"), label.Type);
        var input = Assert.Single(description.Inputs);
        Assert.Equal("image", input.Name);
        Assert.Equal([-1L, 1, -1, -1], input.Dimensions);
        Assert.Null(description.Preprocessing.Size);
        Assert.Equal(ExecutionProviderReport.CpuProvider, model.ExecutionProvider.Provider);
        Assert.False(model.ExecutionProvider.IsFallback);
    }

    [SkippableFact]
    public void A_sidecar_overrides_the_name_version_manufacturer_labels_and_preprocessing()
    {
        var path = models.CopyToNewFolder("threshold2d.onnx");
        File.WriteAllText(Path.ChangeExtension(path, ".json"), """
            {
              "name": "Liver CT", "version": "2.1", "manufacturer": "Example Lab",
              "task": "segmentation",
              "input": { "layout": "Nchw", "size": [64, 64], "normalization": { "kind": "Window", "center": 40, "width": 400 } },
              "output": { "kind": "probabilities", "threshold": 0.4 },
              "labels": [ { "value": 1, "name": "Liver", "type": { "code": "10200004", "scheme": "SCT", "meaning": "Liver" }, "color": [220, 120, 60] } ]
            }
            """);

        using var model = OnnxModel.Load(path, Cpu);

        Assert.Equal("Liver CT", model.Description.Name);
        Assert.Equal("2.1", model.Description.Version);
        Assert.Equal("Example Lab", model.Description.Manufacturer);
        Assert.Equal(0.4, model.Description.Threshold);
        Assert.Equal([64, 64], model.Description.Preprocessing.Size);
        Assert.Equal(400, model.Description.Preprocessing.Normalization.Width);
        Assert.Equal([220, 120, 60], model.Description.FindLabel(1)!.Color);
    }

    [SkippableFact]
    public void A_sidecar_input_without_a_layout_leaves_it_to_the_rank_of_the_models_input()
    {
        var path = models.CopyToNewFolder("threshold3d.onnx");
        File.WriteAllText(Path.ChangeExtension(path, ".json"), """{ "input": { "normalization": { "kind": "Window", "center": 40, "width": 400 } } }""");

        using var model = OnnxModel.Load(path, Cpu);

        Assert.Equal(TensorLayout.Ncdhw, model.Description.Preprocessing.Layout);
        Assert.Equal([8, 16, 16], model.Description.Preprocessing.Size);
        Assert.Equal(NormalizationKind.Window, model.Description.Preprocessing.Normalization.Kind);
        Assert.Equal(0.25, model.Description.Preprocessing.Overlap);
    }

    [SkippableFact]
    public void A_sidecar_layout_that_contradicts_the_models_input_is_refused()
    {
        var path = models.CopyToNewFolder("threshold3d.onnx");
        File.WriteAllText(Path.ChangeExtension(path, ".json"), """{ "input": { "layout": "Nchw" } }""");

        var error = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path, Cpu));

        Assert.Contains("not a Nchw tensor of rank 4", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_sidecar_with_an_unknown_member_is_refused_with_its_path()
    {
        var path = models.CopyToNewFolder("threshold2d.onnx");
        var sidecar = Path.ChangeExtension(path, ".json");
        File.WriteAllText(sidecar, """{ "name": "x", "lables": [] }""");

        var error = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path, Cpu));

        Assert.Contains(sidecar, error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_corrupt_model_file_is_a_model_load_error_naming_the_file()
    {
        var path = models.CopyToNewFolder("classifier.onnx");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path, Cpu));

        Assert.Equal(path, error.ModelPath);
        Assert.Contains("cannot load model", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_missing_model_file_is_a_model_load_error()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N") + ".onnx");

        var error = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path, Cpu));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_input_of_the_wrong_shape_is_refused_before_the_run_with_both_shapes()
    {
        using var model = OnnxModel.Load(models["classifier.onnx"], Cpu);
        using var input = InferenceTensor.Create(1, 1, 16, 16);

        var error = await Assert.ThrowsAsync<ModelInputMismatchException>(() => model.RunAsync(input));

        Assert.Equal("image", error.InputName);
        Assert.Contains("[?,1,8,8]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[1,1,16,16]", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_input_of_the_wrong_rank_is_refused()
    {
        using var model = OnnxModel.Load(models["threshold3d.onnx"], Cpu);
        using var input = InferenceTensor.Create(1, 1, 16, 16);

        await Assert.ThrowsAsync<ModelInputMismatchException>(() => model.RunAsync(input));
    }

    [SkippableFact]
    public async Task Float16_inputs_and_outputs_are_converted()
    {
        using var model = OnnxModel.Load(models["half.onnx"], Cpu);
        var values = Enumerable.Range(0, 16).Select(i => i * 0.25f).ToArray();
        using var input = InferenceTensor.FromValues(values, 1, 1, 4, 4);

        using var outputs = await model.RunAsync(input);

        Assert.Equal(values.Select(v => v * 2).ToArray(), outputs[0].Span.ToArray());
    }

    [SkippableFact]
    public async Task Outputs_onnx_runtime_allocates_are_read_back_as_floats()
    {
        using var model = OnnxModel.Load(models["argmax.onnx"], Cpu);
        using var input = InferenceTensor.Create(1, 3, 4, 4);
        input.Span[(2 * 16) + 5] = 1; // channel 2 wins at pixel 5
        input.Span[16 + 7] = 1; // channel 1 at pixel 7

        using var outputs = await model.RunAsync(input);

        Assert.Equal([1L, 1, 4, 4], outputs[0].Shape.ToArray());
        Assert.Equal(2f, outputs[0].Span[5]);
        Assert.Equal(1f, outputs[0].Span[7]);
        Assert.Equal(0f, outputs[0].Span[0]);
    }

    [SkippableFact]
    public async Task Batches_give_the_same_outputs_as_single_runs_in_item_order()
    {
        using var model = OnnxModel.Load(models["classifier.onnx"], Cpu with { MaxBatchSize = 3, Sessions = 2 });
        var items = Enumerable.Range(0, 7).Select(i => InferenceTensor.FromValues(Enumerable.Repeat(i / 6f, 64).ToArray(), 1, 1, 8, 8)).ToList();
        try
        {
            var batched = await model.RunBatchAsync(items);
            for (var i = 0; i < items.Count; i++)
            {
                using var single = await model.RunAsync(items[i]);
                Assert.Equal([1L, 2], batched[i][0].Shape.ToArray());
                Assert.Equal(single[0].Span.ToArray(), batched[i][0].Span.ToArray());
                batched[i].Dispose();
            }
        }
        finally
        {
            items.ForEach(i => i.Dispose());
        }
    }

    [SkippableFact]
    public async Task Concurrent_runs_on_a_pool_of_sessions_each_get_their_own_answer()
    {
        using var model = OnnxModel.Load(models["threshold2d.onnx"], Cpu with { Sessions = 3 });

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            var value = i % 2 == 0 ? 0.9f : 0.1f;
            using var input = InferenceTensor.FromValues(Enumerable.Repeat(value, 100).ToArray(), 1, 1, 10, 10);
            using var outputs = await model.RunAsync(input);
            return (Expected: i % 2 == 0 ? 1f : 0f, Sum: outputs[0].Span.ToArray().Sum());
        }));

        Assert.All(results, r => Assert.Equal(r.Expected * 100, r.Sum));
    }

    [SkippableFact]
    public async Task A_cancelled_run_throws_operation_cancelled_and_the_session_still_serves()
    {
        using var model = OnnxModel.Load(models["threshold2d.onnx"], Cpu);
        using var input = InferenceTensor.Create(1, 1, 4, 4);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.RunAsync(input, cancelled.Token));
        using var outputs = await model.RunAsync(input);
        Assert.Equal(16, outputs[0].Length);
    }
}
