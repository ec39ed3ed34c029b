//! The fused ops under autodiff over flex: the dense layer (parents x, W, b; backward [`super::kernel::backward`])
//! and the loss (parent z; backward [`super::loss::backward`]), one node each.

use burn::backend::Flex;
use burn::backend::autodiff::Autodiff;
use burn::backend::autodiff::checkpoint::{base::Checkpointer, strategy::CheckpointStrategy};
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::FlexTensor;
use burn::backend::tensor::{FloatTensor, IntTensor};

use super::{Act, DenseBackend};
use super::{kernel, loss};

/// The backward step; its state is the input, the weight and the output of the forward pass (shared buffers,
/// not copies) and the activation.
#[derive(Debug)]
struct DenseBackward;

impl Backward<Flex, 3> for DenseBackward {
    type State = (FlexTensor, FlexTensor, FlexTensor, Act);

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let grad = grads.consume::<Flex>(&ops.node);
        let (x, weight, output, act) = ops.state;
        let wanted = ops.parents.each_ref().map(Option::is_some);
        let computed = kernel::backward(&x, &weight, &output, grad, act, wanted);
        for (parent, gradient) in ops.parents.into_iter().zip(computed) {
            if let (Some(node), Some(gradient)) = (parent, gradient) {
                grads.register::<Flex>(node.id, gradient);
            }
        }
    }
}

/// The loss's backward step; its state is what [`loss::forward`] saved.
#[derive(Debug)]
struct CrossEntropyBackward;

impl Backward<Flex, 1> for CrossEntropyBackward {
    type State = loss::Saved;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let grad = grads.consume::<Flex>(&ops.node);
        let grad = kernel::values(&kernel::contiguous(&grad)).first().copied().unwrap_or(f32::NAN);
        let [parent] = ops.parents;
        if let Some(node) = parent {
            grads.register::<Flex>(node.id, loss::backward(ops.state, grad));
        }
    }
}

impl<C: CheckpointStrategy> DenseBackend for Autodiff<Flex, C> {
    fn softmax_cross_entropy(logits: FloatTensor<Self>, targets: IntTensor<Self>) -> FloatTensor<Self> {
        let (logits, node) = logits.into_parts();
        match CrossEntropyBackward.prepare::<C>([node]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (loss, saved) = loss::forward(&logits, &targets);
                prep.finish(saved, loss)
            }
            OpsKind::UnTracked(prep) => prep.finish(loss::forward(&logits, &targets).0),
        }
    }

    fn dense(x: FloatTensor<Self>, weight: FloatTensor<Self>, bias: FloatTensor<Self>, act: Act) -> FloatTensor<Self> {
        let ((x, x_node), (weight, weight_node), (bias, bias_node)) =
            (x.into_parts(), weight.into_parts(), bias.into_parts());
        match DenseBackward.prepare::<C>([x_node, weight_node, bias_node]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let output = Flex::dense(x.clone(), weight.clone(), bias, act);
                prep.finish((x, weight, output.clone(), act), output)
            }
            OpsKind::UnTracked(prep) => prep.finish(Flex::dense(x, weight, bias, act)),
        }
    }
}
