import { UserError } from '../common/user-error.js';

/**
 * Training stopped because continuing would produce a useless model: the loss became NaN/Inf
 * (divergence) or the item embeddings collapsed onto one point. Exit code 1 (a failed operation).
 */
export class TrainingStoppedError extends UserError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'TrainingStoppedError';
  }
}
