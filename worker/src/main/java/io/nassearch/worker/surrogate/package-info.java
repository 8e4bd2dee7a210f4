/**
 * Rank-preserving surrogate: a small TensorFlow (graph mode) network that orders architectures by
 * expected accuracy.
 *
 * <p><b>Model.</b> The worker knows no search space: it sees row-major float feature matrices and
 * float targets (higher = better). {@link io.nassearch.worker.surrogate.SurrogateTrainer}
 * standardises each feature column, then trains an MLP (ReLU hidden layers, optional dropout,
 * scalar output) with minibatch Adam, decoupled weight decay on weight matrices and a cosine
 * learning-rate decay. With a validation split and patience > 0 it stops early on the validation
 * Kendall tau and keeps the best weights. The network sits behind a package-private {@code
 * ModelFamily} seam so a graph network over the cell DAG can be added beside the MLP.
 *
 * <p><b>Losses</b> ({@link io.nassearch.worker.surrogate.LossKind}), over each minibatch: MSE on
 * standardised targets (baseline); pairwise logistic (RankNet) and pairwise hinge, averaged over
 * the pairs with y_i > y_j; ListMLE, the Plackett-Luce negative log-likelihood of the true order,
 * with a per-suffix max for numerical stability. On NAS-Bench-201 (30-float one-hot) the pairwise
 * logistic loss ranked best, so it is the default and the meaning of {@code LOSS_UNSPECIFIED}; MSE
 * ranks clearly worse.
 *
 * <p><b>Reproducibility.</b> TensorFlow only computes the forward pass and the loss gradients; the
 * weights, the Adam state and all randomness (initialisation, validation split, shuffling, dropout
 * masks) live in Java and come from the seed. Same seed, data and {@link
 * io.nassearch.worker.surrogate.SurrogateRuntime} give bitwise equal models.
 *
 * <p><b>Threading.</b> Each {@link io.nassearch.worker.surrogate.Surrogate} owns one Graph and one
 * Session with its own intra/inter-op pools (single-threaded by default). Its graph is built once;
 * {@code score} may be called from many threads at once, and {@code close} waits for running calls.
 * {@code toBytes}/{@code fromBytes} use a small versioned, CRC-checked binary format and rebuild
 * the graph on load. TensorFlow's C++ log level comes from the environment variable {@code
 * TF_CPP_MIN_LOG_LEVEL}, which Java cannot set for its own process; the launcher exports it.
 */
package io.nassearch.worker.surrogate;
